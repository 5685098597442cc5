import type { LogEntry, LogSql, LogStat } from './log-entry';

/**
 * The `_logs` table: in `<dataDir>/auxiliary.db` on SQLite (never the main database), in the shared PostgreSQL
 * database on PostgreSQL (every replica writes and reads one table).
 */
export abstract class LogRepository {
  /**
   * Appends entries in one transaction, off the request path where the store can (SQLite: its writer thread);
   * resolves once they are committed. An id already stored is skipped (a batch sent twice lands once).
   */
  abstract insertInBackground(entries: LogEntry[]): Promise<void>;
  /** A page in `orderBy` (null: the newest first). */
  abstract list(where: LogSql | null, orderBy: LogSql | null, limit: number, offset: number): Promise<LogEntry[]>;
  abstract count(where: LogSql | null): Promise<number>;
  abstract findById(id: string): Promise<LogEntry | null>;
  /** Entries per hour, oldest first. */
  abstract stats(where: LogSql | null): Promise<LogStat[]>;
  /** Removes the entries created before `created`; the number removed. */
  abstract deleteBefore(created: string): Promise<number>;
  abstract deleteAll(): Promise<void>;
  /** Whether a backup holds the logs (`backupTo`): not on PostgreSQL (README "Backups on PostgreSQL"). */
  abstract readonly inBackups: boolean;
  /** A consistent copy of the logs as an SQLite database at `file` (SQLite's online backup). */
  abstract backupTo(file: string): Promise<void>;
  abstract close(): Promise<void>;
}
