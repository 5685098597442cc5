import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import BetterSqlite3 from 'better-sqlite3';
import { workerHeap } from '@lib/core';
import { snapshotSqlite } from '@lib/database';
import type { LogEntry, LogSql, LogStat } from '../log-entry';
import { countSql, listSql, logEntryOf, statsSql, type LogRow } from '../log-sql';
import { LogRepository } from '../log.repository';

const SCHEMA = [
  `CREATE TABLE IF NOT EXISTS "_logs" (
    "id" TEXT PRIMARY KEY NOT NULL,
    "level" INTEGER DEFAULT 0 NOT NULL,
    "message" TEXT DEFAULT '' NOT NULL,
    "data" JSON DEFAULT '{}' NOT NULL,
    "created" TEXT DEFAULT '' NOT NULL
  )`,
  'CREATE INDEX IF NOT EXISTS "idx_logs_level" ON "_logs" ("level")',
  'CREATE INDEX IF NOT EXISTS "idx_logs_message" ON "_logs" ("message")',
  `CREATE INDEX IF NOT EXISTS "idx_logs_created_hour" ON "_logs" (strftime('%Y-%m-%d %H:00:00', "created"))`,
];

/**
 * A batch as the writer thread takes it: the five column values of each entry one after the other, `data` as its
 * JSON text. A flat list of strings and numbers costs the thread hand-over less than the entries' objects (which
 * the thread would have turned into the same JSON anyway).
 */
export type LogValues = (string | number)[];

function logValues(entries: readonly LogEntry[]): LogValues {
  const values: LogValues = new Array<string | number>(entries.length * 5);
  let i = 0;
  for (const e of entries) {
    values[i++] = e.id;
    values[i++] = e.level;
    values[i++] = e.message;
    values[i++] = JSON.stringify(e.data);
    values[i++] = e.created;
  }
  return values;
}

/** The largest batch `insertInBackground` writes on the calling thread (see there). */
const INLINE_MAX = 50;

/**
 * `_logs` in `<dataDir>/auxiliary.db` (WAL): every process of the set that has the data directory writes its
 * own batches there, one short transaction each; SQLite's file lock serialises them.
 */
export class SqliteLogRepository extends LogRepository {
  private readonly db: BetterSqlite3.Database;
  private readonly insert: BetterSqlite3.Statement;
  private worker: Worker | null = null;
  /** Whether batches go through the writer thread (see `insertInBackground`). */
  private threaded = false;
  private seq = 0;
  private readonly pending = new Map<number, { resolve: () => void; reject: (error: Error) => void }>();

  constructor(
    dataDir: string,
    private readonly busyTimeoutMs = 5000,
  ) {
    super();
    this.db = new BetterSqlite3(path.join(dataDir, 'auxiliary.db'), { timeout: busyTimeoutMs });
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
    this.db.transaction(() => SCHEMA.forEach((sql) => this.db.exec(sql)))();
    this.insert = this.db.prepare(
      'INSERT OR IGNORE INTO "_logs" ("id", "level", "message", "data", "created") VALUES (?, ?, ?, ?, ?)',
    );
  }

  /** Appends entries in one transaction on this thread. */
  insertMany(entries: readonly LogEntry[]): void {
    this.db.transaction(() => {
      for (const e of entries) {
        this.insert.run(e.id, e.level, e.message, JSON.stringify(e.data), e.created);
      }
    })();
  }

  /**
   * Small batches are written on this thread until the writer thread is needed, without waiting for another
   * process's lock: an idle or lightly used server never starts the thread (~10 MB of RSS). The first bigger
   * batch or busy file starts it, and every later batch goes through it (in order).
   */
  insertInBackground(entries: LogEntry[]): Promise<void> {
    if (!this.worker && !this.threaded && entries.length <= INLINE_MAX) {
      try {
        if (this.insertUnlessBusy(entries)) {
          return Promise.resolve();
        }
      } catch (error) {
        return Promise.reject(error instanceof Error ? error : new Error(String(error)));
      }
    }
    const worker = this.writerThread();
    const seq = ++this.seq;
    return new Promise((resolve, reject) => {
      this.pending.set(seq, { resolve, reject });
      worker.postMessage({ seq, values: logValues(entries) });
    });
  }

  /** One transaction on this thread; false (nothing written) if another connection holds the lock. */
  private insertUnlessBusy(entries: readonly LogEntry[]): boolean {
    this.db.pragma('busy_timeout = 0');
    try {
      this.insertMany(entries);
      return true;
    } catch (error) {
      if (String((error as { code?: unknown }).code).startsWith('SQLITE_BUSY')) {
        return false;
      }
      throw error;
    } finally {
      this.db.pragma(`busy_timeout = ${Math.trunc(this.busyTimeoutMs)}`);
    }
  }

  /** The writer thread, started on first use (an unref'd worker: it never keeps the process alive). */
  private writerThread(): Worker {
    this.threaded = true;
    if (!this.worker) {
      const { heapFlags, resourceLimits } = workerHeap();
      const worker = new Worker(path.join(__dirname, 'log-insert.worker.js'), {
        workerData: { file: this.db.name, busyTimeoutMs: this.busyTimeoutMs, heapFlags },
        resourceLimits,
      });
      worker.unref();
      worker.on('message', (reply: { seq: number; ok: boolean; error?: string }) => {
        const waiting = this.pending.get(reply.seq);
        this.pending.delete(reply.seq);
        if (reply.ok) {
          waiting?.resolve();
        } else {
          waiting?.reject(new Error(reply.error ?? 'log batch not written'));
        }
      });
      worker.on('error', (error) => this.failAll(error));
      worker.on('exit', () => {
        this.worker = null;
        this.failAll(new Error('log writer thread exited'));
      });
      this.worker = worker;
    }
    return this.worker;
  }

  private failAll(error: Error): void {
    this.pending.forEach((waiting) => waiting.reject(error));
    this.pending.clear();
  }

  async list(where: LogSql | null, orderBy: LogSql | null, limit: number, offset: number): Promise<LogEntry[]> {
    const order = orderBy && orderBy.sql ? orderBy.sql : '"r"."rowid" DESC';
    const sql = listSql(where, order);
    const params = [...(where?.params ?? []), ...(orderBy?.params ?? []), limit, offset];
    return (this.db.prepare(sql).all(...params) as LogRow[]).map(logEntryOf);
  }

  async count(where: LogSql | null): Promise<number> {
    const sql = countSql(where);
    return (this.db.prepare(sql).get(...(where?.params ?? [])) as { n: number }).n;
  }

  async findById(id: string): Promise<LogEntry | null> {
    const row = this.db.prepare('SELECT * FROM "_logs" WHERE "id" = ?').get(id) as LogRow | undefined;
    return row ? logEntryOf(row) : null;
  }

  async stats(where: LogSql | null): Promise<LogStat[]> {
    const sql = statsSql(where, `strftime('%Y-%m-%d %H:00:00', "r"."created")`);
    const rows = this.db.prepare(sql).all(...(where?.params ?? [])) as LogStat[];
    return rows.map((row) => ({ total: row.total, date: `${row.date}.000Z` }));
  }

  async deleteBefore(created: string): Promise<number> {
    return this.db.prepare('DELETE FROM "_logs" WHERE "created" < ?').run(created).changes;
  }

  async deleteAll(): Promise<void> {
    this.db.prepare('DELETE FROM "_logs"').run();
  }

  readonly inBackups = true;

  async backupTo(file: string): Promise<void> {
    await snapshotSqlite(this.db.name, file, this.busyTimeoutMs);
  }

  async stopWriter(): Promise<void> {
    const worker = this.worker;
    this.worker = null;
    await worker?.terminate();
  }

  async close(): Promise<void> {
    const stopping = this.stopWriter();
    if (this.db.open) {
      this.db.close();
    }
    await stopping;
  }
}
