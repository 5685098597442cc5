import type * as Pg from 'pg';

/**
 * The `pg` package, loaded at the first PostgreSQL connection (or copy) instead of with the database lib: a
 * process on SQLite, the default, never loads it (~40 ms of CPU at each start, the CLI's commands included).
 */
export function pg(): typeof Pg {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('pg') as typeof Pg;
}
