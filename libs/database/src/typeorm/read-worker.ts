// A read worker: runs SELECTs on its own read-only connection to the database file (WAL readers see what
// was committed), each statement under a deadline enforced through the interrupt function. No project
// imports: the worker thread loads this file alone.
import { setFlagsFromString } from 'node:v8';
import { parentPort, workerData } from 'node:worker_threads';
import Sqlite from 'better-sqlite3';
import { QueryDeadline } from './query-deadline';

export interface ReadWorkerData {
  file: string;
  busyTimeoutMs: number;
  /** The main thread's V8 flags, set again once this thread started (see `workerHeap` in libs/core). */
  heapFlags?: string;
}

export interface ReadJob {
  id: number;
  sql: string;
  params: unknown[];
  timeoutMs: number;
}

/** `us`: how long the statement ran, for `StatementCosts`. */
export type ReadResult =
  { id: number; rows: unknown[]; us: number } | { id: number; error: { message: string; code?: string } };

const { file, busyTimeoutMs, heapFlags } = workerData as ReadWorkerData;
if (heapFlags) {
  setFlagsFromString(heapFlags);
}
const db = new Sqlite(file, { readonly: true, fileMustExist: true, timeout: busyTimeoutMs });
db.pragma('cache_size = -8000'); // 8 MB of pages per worker (see the main connection's in create-data-source.ts)
const deadline = new QueryDeadline(0);
deadline.install(db);
const statements = new Map<string, Sqlite.Statement>();

function statement(sql: string): Sqlite.Statement {
  let s = statements.get(sql);
  if (!s) {
    s = db.prepare(sql);
    statements.set(sql, s);
    if (statements.size > 200) {
      statements.delete(statements.keys().next().value as string);
    }
  }
  return s;
}

parentPort?.postMessage({ ready: true });
parentPort?.on('message', (job: ReadJob) => {
  let result: ReadResult;
  try {
    const s = statement(job.sql);
    if (!s.reader) {
      throw new Error('read workers run only statements that return rows');
    }
    const started = performance.now();
    const rows = deadline.run(() => s.all(...job.params), job.timeoutMs);
    result = { id: job.id, rows, us: (performance.now() - started) * 1000 };
  } catch (error) {
    const e = error as { message?: string; code?: unknown };
    result = {
      id: job.id,
      error: { message: String(e.message ?? error), code: typeof e.code === 'string' ? e.code : undefined },
    };
  }
  parentPort?.postMessage(result);
});
