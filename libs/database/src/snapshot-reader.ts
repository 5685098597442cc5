import { existsSync } from 'node:fs';
import BetterSqlite3 from 'better-sqlite3';
import type { Client, ClientConfig } from 'pg';
import { pg } from './postgres/pg-module';
import { quoteIdentifier as q } from './quote';

/** Rows of one table, read a page at a time. */
export type RowPages = AsyncIterable<Record<string, unknown>[]>;

const PAGE = 1000;
/** How long `hold` waits for a schema change under way on one of the tables (then the copy fails or tries again). */
const HOLD_WAIT_MS = 20_000;
/** Tables counted per statement on PostgreSQL (one `UNION ALL` of counts). */
const COUNTS_PER_STATEMENT = 200;

/**
 * A database read table by table — what `nestbase db copy` reads (the drivers stay in this lib). One consistent
 * snapshot for the whole copy (a read transaction on SQLite, REPEATABLE READ on PostgreSQL), so writes going on
 * meanwhile are either all in the copy or not at all.
 */
export interface CopySource {
  readonly engine: 'sqlite' | 'postgres';
  /** Tables and views of the database (names). */
  tables(): Promise<{ name: string; view: boolean }[]>;
  /**
   * Keeps `tables` (and views) from being dropped or altered until the copy ends: PostgreSQL's snapshot covers rows,
   * not the catalog, so a table dropped meanwhile can no longer be read (pg_dump locks its tables the same way).
   * Rejects when one is gone already. Nothing to do on SQLite, whose read transaction holds the schema too.
   */
  hold(tables: readonly string[]): Promise<void>;
  columns(table: string): Promise<string[]>;
  count(table: string): Promise<number>;
  /** `count` of each of `tables`, in their order (on PostgreSQL a few statements for all of them). */
  counts(tables: readonly string[]): Promise<number[]>;
  /**
   * The rows in storage order (SQLite's rowid, PostgreSQL's physical order), so an unsorted list stays alike.
   * `count`, when the caller read it in this snapshot, lets a small table come in one statement.
   */
  rows(table: string, columns: readonly string[], count?: number): RowPages;
  query(sql: string): Promise<Record<string, unknown>[]>;
  close(): Promise<void>;
}

export class SqliteCopySource implements CopySource {
  readonly engine = 'sqlite';
  private readonly db: BetterSqlite3.Database;

  constructor(file: string) {
    if (!existsSync(file)) {
      throw new Error(`no SQLite database at ${file}`);
    }
    this.db = new BetterSqlite3(file, { readonly: true, fileMustExist: true });
    this.db.pragma('busy_timeout = 10000');
    this.db.exec('BEGIN');
    this.db.prepare('SELECT count(*) FROM sqlite_master').get(); // the read snapshot starts here
  }

  tables(): Promise<{ name: string; view: boolean }[]> {
    const rows = this.db
      .prepare(`SELECT name, type FROM sqlite_master WHERE type IN ('table', 'view') AND name NOT LIKE 'sqlite_%'`)
      .all() as { name: string; type: string }[];
    return Promise.resolve(rows.map((r) => ({ name: r.name, view: r.type === 'view' })));
  }

  hold(): Promise<void> {
    return Promise.resolve();
  }

  columns(table: string): Promise<string[]> {
    const rows = this.db.prepare(`PRAGMA table_info(${q(table)})`).all() as { name: string }[];
    return Promise.resolve(rows.map((r) => r.name));
  }

  count(table: string): Promise<number> {
    return Promise.resolve(Number((this.db.prepare(`SELECT count(*) AS n FROM ${q(table)}`).get() as { n: number }).n));
  }

  async counts(tables: readonly string[]): Promise<number[]> {
    const out: number[] = [];
    for (const table of tables) {
      out.push(await this.count(table));
    }
    return out;
  }

  async *rows(table: string, columns: readonly string[]): RowPages {
    const list = columns.map(q).join(', ');
    const page = this.db.prepare(
      `SELECT rowid AS "__nb_rowid", ${list} FROM ${q(table)} WHERE rowid > ? ORDER BY rowid LIMIT ${PAGE}`,
    );
    let after = Number.MIN_SAFE_INTEGER;
    for (;;) {
      const rows = page.all(after) as Record<string, unknown>[];
      if (rows.length === 0) {
        return;
      }
      after = Number(rows[rows.length - 1].__nb_rowid);
      yield rows;
      if (rows.length < PAGE) {
        return;
      }
    }
  }

  query(sql: string): Promise<Record<string, unknown>[]> {
    return Promise.resolve(this.db.prepare(sql).all() as Record<string, unknown>[]);
  }

  close(): Promise<void> {
    if (this.db.open) {
      this.db.exec('COMMIT');
      this.db.close();
    }
    return Promise.resolve();
  }
}

/** `open`'s tries when a relation is dropped between its list and its lock. */
const OPEN_TRIES = 5;

/** ACCESS SHARE on `tables` until the transaction ends: reads go on, DROP and ALTER wait (≤ HOLD_WAIT_MS). */
async function lockShared(client: Client, tables: readonly string[]): Promise<void> {
  if (tables.length > 0) {
    await client.query(`SET LOCAL lock_timeout = '${HOLD_WAIT_MS}ms'`);
    await client.query(`LOCK TABLE ${tables.map(q).join(', ')} IN ACCESS SHARE MODE`);
  }
}

/** Every value as PostgreSQL's text output: the normalisation reads both databases alike. */
const asText: ClientConfig['types'] = {
  getTypeParser: (() => (value: string) => value) as unknown as NonNullable<ClientConfig['types']>['getTypeParser'],
};

export class PostgresCopySource implements CopySource {
  readonly engine = 'postgres';
  private cursors = 0;
  /** Every relation's columns of the schema, read once (the snapshot doesn't change). */
  private columnsOf: Promise<Map<string, string[]>> | null = null;

  private constructor(private readonly client: Client) {}

  /**
   * Opens the snapshot with every table and view of the schema it may read held first (`hold`, taken before the
   * snapshot: the relations listed just before can't be dropped or altered after it, as `LOCK TABLE` takes no
   * snapshot). One dropped between that list and its lock starts it again.
   */
  static async open(url: string): Promise<PostgresCopySource> {
    const client = new (pg().Client)({ connectionString: url, types: asText });
    client.on('error', () => undefined);
    await client.connect();
    try {
      for (let attempt = 1; ; attempt++) {
        const { rows } = await client.query<{ name: string }>(
          `SELECT c.relname AS name FROM pg_catalog.pg_class c
           WHERE c.relnamespace = current_schema()::regnamespace AND c.relkind IN ('r', 'p', 'v', 'm')
             AND has_table_privilege(c.oid, 'SELECT')`,
        );
        await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
        await client.query('SET LOCAL statement_timeout = 0');
        try {
          await lockShared(
            client,
            rows.map((r) => r.name),
          );
          break;
        } catch (error) {
          await client.query('ROLLBACK');
          if (attempt >= OPEN_TRIES || (error as { code?: unknown }).code !== '42P01') {
            throw error;
          }
        }
      }
    } catch (error) {
      await client.end();
      throw error;
    }
    return new PostgresCopySource(client);
  }

  async tables(): Promise<{ name: string; view: boolean }[]> {
    const { rows } = await this.client.query<{ name: string; type: string }>(
      `SELECT table_name AS name, table_type AS type FROM information_schema.tables
       WHERE table_schema = current_schema()`,
    );
    return rows.map((r) => ({ name: r.name, view: r.type === 'VIEW' }));
  }

  /** `open` held what existed then: this holds the rest (made between that list and the snapshot). */
  async hold(tables: readonly string[]): Promise<void> {
    await lockShared(this.client, tables);
  }

  /**
   * From the catalog, for all relations at once: one `information_schema.columns` read per table cost a few ms each,
   * and a backup of a database with a thousand collections read it a thousand times.
   */
  async columns(table: string): Promise<string[]> {
    this.columnsOf ??= this.client
      .query<{ relation: string; name: string }>(
        `SELECT c.relname AS relation, a.attname AS name FROM pg_catalog.pg_attribute a
         JOIN pg_catalog.pg_class c ON c.oid = a.attrelid
         WHERE c.relnamespace = current_schema()::regnamespace AND c.relkind IN ('r', 'p', 'v', 'm', 'f')
           AND a.attnum > 0 AND NOT a.attisdropped
         ORDER BY c.relname, a.attnum`,
      )
      .then(({ rows }) => {
        const map = new Map<string, string[]>();
        for (const r of rows) {
          const list = map.get(r.relation);
          if (list) {
            list.push(r.name);
          } else {
            map.set(r.relation, [r.name]);
          }
        }
        return map;
      });
    return (await this.columnsOf).get(table) ?? [];
  }

  async count(table: string): Promise<number> {
    const { rows } = await this.client.query<{ n: string }>(`SELECT count(*) AS n FROM ${q(table)}`);
    return Number(rows[0].n);
  }

  async counts(tables: readonly string[]): Promise<number[]> {
    const out: number[] = [];
    for (let at = 0; at < tables.length; at += COUNTS_PER_STATEMENT) {
      const chunk = tables.slice(at, at + COUNTS_PER_STATEMENT);
      const sql = chunk.map((t, i) => `SELECT ${i} AS i, count(*) AS n FROM ${q(t)}`).join(' UNION ALL ');
      const { rows } = await this.client.query<{ i: string; n: string }>(sql);
      const byIndex = new Map(rows.map((r) => [Number(r.i), Number(r.n)]));
      chunk.forEach((_, i) => out.push(byIndex.get(i) ?? 0));
    }
    return out;
  }

  async *rows(table: string, columns: readonly string[], count?: number): RowPages {
    if (count !== undefined && count <= PAGE) {
      // All of it in one statement: the snapshot still holds `count` rows.
      if (count > 0) {
        const { rows } = await this.client.query<Record<string, unknown>>(
          `SELECT ${columns.map(q).join(', ')} FROM ${q(table)}`,
        );
        yield rows;
      }
      return;
    }
    const cursor = `nb_copy_${++this.cursors}`;
    await this.client.query(
      `DECLARE ${cursor} NO SCROLL CURSOR FOR SELECT ${columns.map(q).join(', ')} FROM ${q(table)}`,
    );
    try {
      for (;;) {
        const { rows } = await this.client.query<Record<string, unknown>>(`FETCH ${PAGE} FROM ${cursor}`);
        if (rows.length === 0) {
          return;
        }
        yield rows;
      }
    } finally {
      await this.client.query(`CLOSE ${cursor}`).catch(() => undefined);
    }
  }

  async query(sql: string): Promise<Record<string, unknown>[]> {
    return (await this.client.query<Record<string, unknown>>(sql)).rows;
  }

  async close(): Promise<void> {
    await this.client.query('COMMIT').catch(() => undefined);
    await this.client.end().catch(() => undefined);
  }
}

/** Opens `from`: a `postgres://` URL, or a SQLite database file. */
export function openCopySource(from: string): Promise<CopySource> {
  return /^postgres(ql)?:\/\//.test(from) ? PostgresCopySource.open(from) : Promise.resolve(new SqliteCopySource(from));
}
