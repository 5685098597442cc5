import type { LogEntry, LogSql, LogStat } from './log-entry';

/** The `_logs` table of the auxiliary database (never the main one). Synchronous: SQLite in this process. */
export abstract class LogRepository {
  /** Appends entries in one transaction; an id already stored is skipped (a batch sent twice lands once). */
  abstract insertMany(entries: readonly LogEntry[]): void;
  /** Appends entries in one transaction on a writer thread; resolves once they are committed. */
  abstract insertInBackground(entries: LogEntry[]): Promise<void>;
  abstract list(where: LogSql | null, orderBy: LogSql | null, limit: number, offset: number): LogEntry[];
  abstract count(where: LogSql | null): number;
  abstract findById(id: string): LogEntry | null;
  /** Entries per hour, oldest first. */
  abstract stats(where: LogSql | null): LogStat[];
  /** Removes the entries created before `created`; the number removed. */
  abstract deleteBefore(created: string): number;
  abstract deleteAll(): void;
  /** A consistent copy of the database at `file` (SQLite's online backup). */
  abstract backupTo(file: string): Promise<void>;
  abstract close(): void;
}
