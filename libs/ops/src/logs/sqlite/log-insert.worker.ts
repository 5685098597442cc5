// The request log's writer thread: takes batches of entries from the main thread and inserts each batch in one
// transaction into `_logs`, so the SQLite work of logging never runs on the event loop serving requests.
import { parentPort, workerData } from 'node:worker_threads';
import BetterSqlite3 from 'better-sqlite3';
import type { LogEntry } from '../log-entry';

interface Batch {
  seq: number;
  entries: LogEntry[];
}

const { file, busyTimeoutMs } = workerData as { file: string; busyTimeoutMs: number };
const db = new BetterSqlite3(file, { timeout: busyTimeoutMs });
db.pragma('journal_mode = WAL');
db.pragma('synchronous = NORMAL');
const insert = db.prepare(
  'INSERT OR IGNORE INTO "_logs" ("id", "level", "message", "data", "created") VALUES (?, ?, ?, ?, ?)',
);
const insertAll = db.transaction((entries: LogEntry[]) => {
  for (const e of entries) {
    insert.run(e.id, e.level, e.message, JSON.stringify(e.data), e.created);
  }
});

parentPort?.on('message', (batch: Batch) => {
  try {
    insertAll(batch.entries);
    parentPort?.postMessage({ seq: batch.seq, ok: true });
  } catch (error) {
    parentPort?.postMessage({ seq: batch.seq, ok: false, error: (error as Error).message, entries: batch.entries });
  }
});
