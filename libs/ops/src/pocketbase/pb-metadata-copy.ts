import BetterSqlite3 from 'better-sqlite3';
import type { PbCollection } from './pb-collections';

const text = (v: unknown) => (typeof v === 'string' ? v : '');

/**
 * The bookkeeping PocketBase keeps beside the records: each collection's created/updated stamps, and the
 * `pb_migrations` files it applied (so `serve` doesn't run them a second time over the imported data).
 */
export function copyMetadata(
  target: string,
  collections: readonly PbCollection[],
  migrations: readonly { file: string; applied: number }[],
): void {
  const db = new BetterSqlite3(target);
  try {
    const stamp = db.prepare('UPDATE "_collections" SET "created" = ?, "updated" = ? WHERE "id" = ?');
    const applied = db.prepare('INSERT OR REPLACE INTO "_migrations" ("file", "applied") VALUES (?, ?)');
    db.transaction(() => {
      for (const c of collections) {
        stamp.run(text(c.created), text(c.updated), c.id);
      }
      for (const m of migrations) {
        applied.run(m.file, m.applied);
      }
    })();
  } finally {
    db.close();
  }
}
