/**
 * SQLite's schema-write counter, as PostgreSQL's (`POSTGRES_SCHEMA_WRITES_SQL`): one row of `_schemaWrites`, bumped by
 * triggers on `_collections` in the writing transaction, whoever writes (another process, a hook's SQL, the sqlite3
 * shell). It is the collections stamp (`readSchemaStamp` in the records lib): exact where a row count and the latest
 * `updated` missed a change made in the millisecond of the last one. It starts at the clock's milliseconds, so a
 * counter made again never repeats a value a running process has seen. Idempotent: run at every open, inside the
 * migrations' write transaction.
 */
export const SQLITE_SCHEMA_WRITES_SQL: readonly string[] = [
  'CREATE TABLE IF NOT EXISTS "_schemaWrites" ("id" INTEGER PRIMARY KEY, "n" INTEGER NOT NULL)',
  `INSERT OR IGNORE INTO "_schemaWrites" ("id", "n")
     VALUES (1, CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER))`,
  ...['INSERT', 'UPDATE', 'DELETE'].map(
    (event) => `CREATE TRIGGER IF NOT EXISTS "nb_schema_written_${event.toLowerCase()}" AFTER ${event} ON "_collections"
     BEGIN UPDATE "_schemaWrites" SET "n" = "n" + 1 WHERE "id" = 1; END`,
  ),
];
