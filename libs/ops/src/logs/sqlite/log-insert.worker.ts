// The request log's writer thread: takes batches of entries from the main thread and inserts each batch in one
// transaction into `_logs`, so the SQLite work of logging never runs on the event loop serving requests.
import { setFlagsFromString } from 'node:v8';
import { parentPort, workerData } from 'node:worker_threads';
import BetterSqlite3 from 'better-sqlite3';
import type { LogValues } from './sqlite-log.repository';

interface Batch {
  seq: number;
  /** Five column values per entry (see `LogValues`). */
  values: LogValues;
}

const { file, busyTimeoutMs, heapFlags } = workerData as { file: string; busyTimeoutMs: number; heapFlags: string };
if (heapFlags) {
  setFlagsFromString(heapFlags); // the main thread's, which this thread's start undid (see workerHeap in libs/core)
}
const db = new BetterSqlite3(file, { timeout: busyTimeoutMs });
db.pragma('journal_mode = WAL');
db.pragma('synchronous = NORMAL');
const insert = db.prepare(
  'INSERT OR IGNORE INTO "_logs" ("id", "level", "message", "data", "created") VALUES (?, ?, ?, ?, ?)',
);
const insertAll = db.transaction((v: LogValues) => {
  for (let i = 0; i + 4 < v.length; i += 5) {
    insert.run(v[i], v[i + 1], v[i + 2], v[i + 3], v[i + 4]);
  }
});

parentPort?.on('message', (batch: Batch) => {
  try {
    insertAll(batch.values);
    parentPort?.postMessage({ seq: batch.seq, ok: true });
  } catch (error) {
    parentPort?.postMessage({ seq: batch.seq, ok: false, error: (error as Error).message });
  }
});
