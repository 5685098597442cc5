import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import { workerHeap } from '@lib/core';

/**
 * Copies the SQLite database `source` to the new file `dest` as one consistent snapshot: `VACUUM INTO` inside
 * one read transaction, on its own read-only connection in a worker thread (the event loop keeps serving). Other
 * connections and processes go on writing meanwhile; the copy is the database as of the snapshot's start.
 *
 * Not better-sqlite3's `backup()`: SQLite's backup API starts over whenever another process writes to the source
 * (under a steady write load it may never finish), and its first step, when the source is locked, reports no
 * pages left, so `backup()` resolved having written nothing (seen in the distributed set).
 */
export function snapshotSqlite(source: string, dest: string, busyTimeoutMs = 60_000): Promise<void> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(path.join(__dirname, 'sqlite-snapshot.worker.js'), {
      workerData: { source, dest, busyTimeoutMs, heapFlags: workerHeap().heapFlags },
    });
    let settled = false;
    worker.once('message', (result: { ok: boolean; message?: string; code?: string }) => {
      settled = true;
      if (result.ok) {
        resolve();
      } else {
        reject(
          Object.assign(new Error(`snapshot of ${path.basename(source)}: ${result.message}`), { code: result.code }),
        );
      }
    });
    worker.once('error', (error) => {
      settled = true;
      reject(error);
    });
    worker.once('exit', (code) => {
      if (!settled) {
        reject(new Error(`snapshot of ${path.basename(source)}: worker exited with ${code}`));
      }
    });
  });
}
