import BetterSqlite3 from 'better-sqlite3';
import { Pool, types } from 'pg';

/** `pg`: the same SQL on PostgreSQL (BENCH_DB=postgres), the "file" being the database URL. */
export type DriverName = 'better-sqlite3' | 'sqlite3' | 'pg';

export type Row = Record<string, unknown>;
type Params = unknown[];

/** The three calls the baseline needs, async for both drivers so the handlers are the same code. */
export interface BaselineDb {
  get(sql: string, params: Params): Promise<Row | undefined>;
  all(sql: string, params: Params): Promise<Row[]>;
  run(sql: string, params: Params): Promise<void>;
  close(): Promise<void>;
}

/** The pragmas nestbase sets on its connection (libs/database create-data-source.ts). */
const PRAGMAS = [
  'journal_mode = WAL',
  'busy_timeout = 10000',
  'synchronous = NORMAL',
  'journal_size_limit = 200000000',
  'cache_size = -32000',
  'temp_store = MEMORY',
  'foreign_keys = ON',
];

/** better-sqlite3: synchronous calls on one connection, statements prepared once and cached. */
function openBetter(file: string): BaselineDb {
  const db = new BetterSqlite3(file);
  for (const p of PRAGMAS) {
    db.pragma(p);
  }
  const cache = new Map<string, BetterSqlite3.Statement>();
  const stmt = (sql: string): BetterSqlite3.Statement => {
    let s = cache.get(sql);
    if (!s) {
      s = db.prepare(sql);
      cache.set(sql, s);
    }
    return s;
  };
  return {
    get: async (sql, params) => stmt(sql).get(...params) as Row | undefined,
    all: async (sql, params) => stmt(sql).all(...params) as Row[],
    run: async (sql, params) => {
      stmt(sql).run(...params);
    },
    close: async () => {
      db.close();
    },
  };
}

type Done<T = void> = (err: Error | null, value: T) => void;
/** The part of node-sqlite3's `Database` the baseline uses (the package is optional: not in the default install). */
interface Sqlite3Database {
  exec(sql: string, done: (err: Error | null) => void): void;
  get(sql: string, params: Params, done: Done<unknown>): void;
  all(sql: string, params: Params, done: Done<unknown[]>): void;
  run(sql: string, params: Params, done: (err: Error | null) => void): void;
  close(done: (err: Error | null) => void): void;
}

/** Whether node-sqlite3 is installed (`npm install --no-save sqlite3`: it compiles from source, ~95 s here). */
export function sqlite3Installed(): boolean {
  try {
    require.resolve('sqlite3');
    return true;
  } catch {
    return false;
  }
}

/** node-sqlite3: the async, callback API on one connection (statements run on libuv's pool). */
async function openSqlite3(file: string): Promise<BaselineDb> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const sqlite3 = require('sqlite3') as {
    Database: new (file: string, done: (err: Error | null) => void) => Sqlite3Database;
  };
  const db = await new Promise<Sqlite3Database>((resolve, reject) => {
    const d: Sqlite3Database = new sqlite3.Database(file, (err) => (err ? reject(err) : resolve(d)));
  });
  const exec = (sql: string) =>
    new Promise<void>((resolve, reject) => db.exec(sql, (err) => (err ? reject(err) : resolve())));
  for (const p of PRAGMAS) {
    await exec(`PRAGMA ${p}`);
  }
  return {
    get: (sql, params) =>
      new Promise((resolve, reject) =>
        db.get(sql, params, (err, row) => (err ? reject(err) : resolve(row as Row | undefined))),
      ),
    all: (sql, params) =>
      new Promise((resolve, reject) =>
        db.all(sql, params, (err, rows) => (err ? reject(err) : resolve(rows as Row[]))),
      ),
    run: (sql, params) =>
      new Promise((resolve, reject) => db.run(sql, params, (err) => (err ? reject(err) : resolve()))),
    close: () => new Promise((resolve, reject) => db.close((err) => (err ? reject(err) : resolve()))),
  };
}

/** Rows as SQLite's: booleans 1/0, JSON as text, counts as numbers (what nestbase's pool does too). */
const PG_PARSERS = new Map<number, (value: string) => unknown>([
  [16, (v) => (v === 't' ? 1 : 0)],
  [20, Number],
  [114, (v) => v],
  [3802, (v) => v],
]);

/**
 * node-postgres on a pool of 10 (nestbase's default NB_DB_POOL_MAX), statements named so each connection prepares
 * them once. The SQLite SQL is rewritten: `?` → `$n`, and the boolean comparison with the integer 0 → '0'.
 */
function openPg(url: string): BaselineDb {
  const fallback = types.getTypeParser as (oid: number, format?: 'text' | 'binary') => (value: string) => unknown;
  const pool = new Pool({
    connectionString: url,
    max: 10,
    types: {
      getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
        PG_PARSERS.get(oid) ?? fallback(oid, format)) as typeof types.getTypeParser,
    },
  });
  const names = new Map<string, { name: string; text: string }>();
  const statement = (sql: string) => {
    let known = names.get(sql);
    if (!known) {
      let n = 0;
      const text = sql.replace(/\?/g, () => `$${++n}`).replace(/"completed" = 0\b/g, `"completed" = '0'`);
      known = { name: `b${names.size}`, text };
      names.set(sql, known);
    }
    return known;
  };
  const query = async (sql: string, params: Params) =>
    (await pool.query<Row>({ ...statement(sql), values: params })).rows;
  return {
    get: async (sql, params) => (await query(sql, params))[0],
    all: query,
    run: async (sql, params) => {
      await query(sql, params);
    },
    close: () => pool.end(),
  };
}

export async function openBaselineDb(driver: DriverName, file: string): Promise<BaselineDb> {
  return driver === 'better-sqlite3' ? openBetter(file) : driver === 'pg' ? openPg(file) : openSqlite3(file);
}
