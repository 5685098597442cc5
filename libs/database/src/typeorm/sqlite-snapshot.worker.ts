// Worker thread of `snapshotSqlite`: copies one SQLite file with `VACUUM INTO` on its own read-only connection.
import { setFlagsFromString } from 'node:v8';
import { parentPort, workerData } from 'node:worker_threads';
import Sqlite from 'better-sqlite3';

const { source, dest, busyTimeoutMs, heapFlags } = workerData as {
  source: string;
  dest: string;
  busyTimeoutMs: number;
  /** See `workerHeap` in libs/core. */
  heapFlags: string;
};
if (heapFlags) {
  setFlagsFromString(heapFlags);
}
const db = new Sqlite(source, { readonly: true, fileMustExist: true, timeout: busyTimeoutMs });
try {
  db.prepare('VACUUM INTO ?').run(dest);
  parentPort?.postMessage({ ok: true });
} catch (error) {
  parentPort?.postMessage({ ok: false, message: (error as Error).message, code: (error as { code?: string }).code });
} finally {
  db.close();
}
