import BetterSqlite3 from 'better-sqlite3';

/** True when `file` is an SQLite database that passes `PRAGMA integrity_check`. */
export function sqliteIntact(file: string): boolean {
  let db: BetterSqlite3.Database | null = null;
  try {
    db = new BetterSqlite3(file, { readonly: true, fileMustExist: true });
    return db.pragma('integrity_check', { simple: true }) === 'ok';
  } catch {
    return false;
  } finally {
    db?.close();
  }
}
