import type { Database } from '@lib/database';
import type { LogEntry, LogSql, LogStat } from '../log-entry';
import { countSql, listSql, logEntryOf, statsSql, type LogRow } from '../log-sql';
import { LogRepository } from '../log.repository';
import { withoutNul, jsonWithoutNul } from './without-nul';

/**
 * `_logs` as SQLite's (the same columns; `data` as `jsonb`, text in the "C" collation as the query compiler's
 * PostgreSQL dialect expects), with indexes on `created` and `level`. Created by the first process that needs it,
 * under the schema lock (replicas start together).
 */
const SCHEMA = [
  `CREATE TABLE IF NOT EXISTS "_logs" (
    "id" TEXT COLLATE "C" PRIMARY KEY NOT NULL,
    "level" INTEGER DEFAULT 0 NOT NULL,
    "message" TEXT COLLATE "C" DEFAULT '' NOT NULL,
    "data" JSONB DEFAULT '{}' NOT NULL,
    "created" TEXT COLLATE "C" DEFAULT '' NOT NULL
  )`,
  'CREATE INDEX IF NOT EXISTS "idx_logs_level" ON "_logs" ("level")',
  'CREATE INDEX IF NOT EXISTS "idx_logs_created" ON "_logs" ("created")',
];

/**
 * A batch as one statement whatever its size (five arrays, one row per index): one text, prepared once per
 * connection, and no limit on bound parameters. An id already stored is skipped.
 */
const INSERT = `INSERT INTO "_logs" ("id", "level", "message", "data", "created")
  SELECT * FROM unnest(?::text[], ?::int[], ?::text[], ?::jsonb[], ?::text[])
  ON CONFLICT ("id") DO NOTHING`;

/** The newest first: `created`, then the id (which rises with time within a process). */
const NEWEST_FIRST = '"r"."created" DESC, "r"."id" DESC';

/**
 * `_logs` in the PostgreSQL database every process of the set shares: each writes its own batches (one statement
 * per flush) and `/api/logs` on any replica reads them all. PostgreSQL refuses U+0000 in text and jsonb: it is
 * stored as U+FFFD.
 */
export class PostgresLogRepository extends LogRepository {
  private ready: Promise<void> | null = null;

  constructor(private readonly db: Database) {
    super();
  }

  async insertInBackground(entries: LogEntry[]): Promise<void> {
    if (entries.length === 0) {
      return;
    }
    await this.table();
    const ids: string[] = [];
    const levels: number[] = [];
    const messages: string[] = [];
    const data: string[] = [];
    const created: string[] = [];
    for (const e of entries) {
      ids.push(e.id);
      levels.push(e.level);
      messages.push(withoutNul(e.message));
      data.push(jsonWithoutNul(JSON.stringify(e.data)));
      created.push(e.created);
    }
    await this.db.run(INSERT, [ids, levels, messages, data, created]);
  }

  async list(where: LogSql | null, orderBy: LogSql | null, limit: number, offset: number): Promise<LogEntry[]> {
    await this.table();
    const order = orderBy && orderBy.sql ? orderBy.sql : NEWEST_FIRST;
    const sql = listSql(where, order);
    const params = [...(where?.params ?? []), ...(orderBy?.params ?? []), limit, offset];
    return (await this.db.query<LogRow>(sql, params)).map(logEntryOf);
  }

  async count(where: LogSql | null): Promise<number> {
    await this.table();
    const sql = countSql(where);
    const [row] = await this.db.query<{ n: number }>(sql, where?.params ?? []);
    return Number(row?.n ?? 0);
  }

  async findById(id: string): Promise<LogEntry | null> {
    await this.table();
    const [row] = await this.db.query<LogRow>('SELECT * FROM "_logs" WHERE "id" = ?', [withoutNul(id)]);
    return row ? logEntryOf(row) : null;
  }

  /** Per hour: the first 13 characters of `created` (`YYYY-MM-DD HH`), as SQLite's `strftime` buckets. */
  async stats(where: LogSql | null): Promise<LogStat[]> {
    await this.table();
    const sql = statsSql(where, 'left("r"."created", 13)');
    const rows = await this.db.query<{ total: number; date: string }>(sql, where?.params ?? []);
    return rows.map((row) => ({ total: Number(row.total), date: `${row.date}:00:00.000Z` }));
  }

  /** Any replica may run it (the retention job): a second run removes nothing more. */
  async deleteBefore(created: string): Promise<number> {
    await this.table();
    return this.db.run('DELETE FROM "_logs" WHERE "created" < ?', [created]);
  }

  async deleteAll(): Promise<void> {
    await this.table();
    await this.db.run('DELETE FROM "_logs"');
  }

  /** The logs are not part of a backup on PostgreSQL (README "Backups on PostgreSQL"). */
  readonly inBackups = false;

  backupTo(): Promise<void> {
    return Promise.reject(new Error('the logs on PostgreSQL are not part of a backup'));
  }

  /** Nothing of its own to close: the statements run on the database's pool. */
  async close(): Promise<void> {}

  /** Creates the table once per process (again after a failed try). */
  private table(): Promise<void> {
    this.ready ??= this.db
      .schemaTransaction(async (tx) => {
        for (const sql of SCHEMA) {
          await tx.run(sql);
        }
      })
      .catch((error: unknown) => {
        this.ready = null;
        throw error;
      });
    return this.ready;
  }
}
