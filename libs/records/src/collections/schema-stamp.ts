import type { SqlExecutor } from '@lib/database';

/**
 * What `_collections` and the stored settings look like, cheaply: a cache remembers the stamp it was loaded
 * under, and is stale when the database's stamp differs. Read the stamp *before* the data it vouches for, so a
 * change landing in between leaves the cache with an older stamp (one reload too many, never one too few).
 */
export interface SchemaStamp {
  /** `_collections`: the schema-write counter (see `COUNTER`). */
  collections: string;
  /** `_params` settings row's `updated` ('' when none is stored). */
  settings: string;
}

/**
 * PostgreSQL's stamp with the auth-write counter (`POSTGRES_AUTH_WRITES_SQL`), in the same statement: what the
 * verified-token cache's mark is made of there.
 */
export interface PostgresStamp extends SchemaStamp {
  /** Null without the counter's row: then nothing may be cached on it. */
  authWrites: number | null;
  /** `pg_current_snapshot()` as this read saw it: see `Database.changeMark`. */
  snapshot: string;
}

/** The row count and latest `updated` of `_collections`: the stamp where there is no counter. */
const COUNTED = `(SELECT COUNT(*) || ':' || COALESCE(MAX("updated"), '') FROM "_collections")`;
/**
 * The schema-write counter (`_schemaWrites`, kept by triggers on `_collections`: `SQLITE_SCHEMA_WRITES_SQL`,
 * `POSTGRES_SCHEMA_WRITES_SQL`): one row by its key whatever the number of collections, and moved by every change.
 * Without its row, the count.
 */
const COUNTER = `COALESCE((SELECT 'w' || "n" FROM "_schemaWrites" WHERE "id" = 1), ${COUNTED})`;
/**
 * A SQLite file without the counter's table: restored from a backup made before it, and not yet opened again by
 * this process (the other services of a split set keep their connection). PostgreSQL makes it at every start.
 */
const NO_COUNTER = /no such table: (main\.)?_schemaWrites/;

const stampSql = (collections: string) => `SELECT ${collections} AS "c",
            (SELECT "updated" FROM "_params" WHERE "id" = 'settings') AS "s"`;

/** `db`: the database, or a transaction (whose own uncommitted changes then count). */
export async function readSchemaStamp(db: SqlExecutor): Promise<SchemaStamp> {
  let rows: { c: string; s: string | null }[];
  try {
    rows = await db.query(stampSql(COUNTER));
  } catch (error) {
    if (!(error instanceof Error && NO_COUNTER.test(error.message))) {
      throw error;
    }
    rows = await db.query(stampSql(COUNTED));
  }
  return { collections: rows[0].c, settings: rows[0].s ?? '' };
}

/** `readSchemaStamp`, the auth-write counter and the snapshot in one round trip (PostgreSQL only). */
export async function readPostgresStamp(db: SqlExecutor): Promise<PostgresStamp> {
  const [row] = await db.query<{ c: string; s: string | null; a: number | null; x: string }>(
    `SELECT ${COUNTER} AS "c",
            (SELECT "updated" FROM "_params" WHERE "id" = 'settings') AS "s",
            (SELECT "n" FROM "_authWrites" WHERE "id" = 1) AS "a",
            pg_current_snapshot()::text AS "x"`,
  );
  return { collections: row.c, settings: row.s ?? '', authWrites: row.a, snapshot: row.x };
}
