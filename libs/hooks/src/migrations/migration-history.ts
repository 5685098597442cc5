import type { SqlExecutor } from '@lib/database';

let last = 0;

/** Microseconds since the epoch, rising within the process (PocketBase's `_migrations.applied`). */
function appliedNow(): number {
  last = Math.max(Date.now() * 1000, last + 1);
  return last;
}

/** PocketBase's `_migrations` table: the applied files (`file`, `applied` in microseconds). */
export const MigrationHistory = {
  async files(db: SqlExecutor): Promise<Set<string>> {
    const rows = await db.query<{ file: string }>('SELECT "file" FROM "_migrations"');
    return new Set(rows.map((r) => r.file));
  },

  async has(db: SqlExecutor, file: string): Promise<boolean> {
    return (await db.query('SELECT 1 FROM "_migrations" WHERE "file" = ?', [file])).length > 0;
  },

  /** The last `n` applied files, the latest first. */
  async latest(db: SqlExecutor, n: number): Promise<string[]> {
    const rows = await db.query<{ file: string }>(
      'SELECT "file" FROM "_migrations" ORDER BY "applied" DESC, "file" DESC LIMIT ?',
      [n],
    );
    return rows.map((r) => r.file);
  },

  async add(db: SqlExecutor, file: string): Promise<void> {
    await db.run('INSERT INTO "_migrations" ("file", "applied") VALUES (?, ?)', [file, appliedNow()]);
  },

  async remove(db: SqlExecutor, file: string): Promise<void> {
    await db.run('DELETE FROM "_migrations" WHERE "file" = ?', [file]);
  },
};
