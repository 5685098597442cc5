import { existsSync } from 'node:fs';
import BetterSqlite3 from 'better-sqlite3';
import type { Client, ClientConfig } from 'pg';
import { pg } from './postgres/pg-module';
import { quoteIdentifier as q } from './quote';

/** Rows of one table, read a page at a time. */
export type RowPages = AsyncIterable<Record<string, unknown>[]>;

const PAGE = 1000;

/**
 * A database read table by table — what `nestbase db copy` reads (the drivers stay in this lib). One consistent
 * snapshot for the whole copy (a read transaction on SQLite, REPEATABLE READ on PostgreSQL), so writes going on
 * meanwhile are either all in the copy or not at all.
 */
export interface CopySource {
  readonly engine: 'sqlite' | 'postgres';
  /** Tables and views of the database (names). */
  tables(): Promise<{ name: string; view: boolean }[]>;
  columns(table: string): Promise<string[]>;
  count(table: string): Promise<number>;
  /** The rows in storage order (SQLite's rowid, PostgreSQL's physical order), so an unsorted list stays alike. */
  rows(table: string, columns: readonly string[]): RowPages;
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

  columns(table: string): Promise<string[]> {
    const rows = this.db.prepare(`PRAGMA table_info(${q(table)})`).all() as { name: string }[];
    return Promise.resolve(rows.map((r) => r.name));
  }

  count(table: string): Promise<number> {
    return Promise.resolve(Number((this.db.prepare(`SELECT count(*) AS n FROM ${q(table)}`).get() as { n: number }).n));
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

/** Every value as PostgreSQL's text output: the normalisation reads both databases alike. */
const asText: ClientConfig['types'] = {
  getTypeParser: (() => (value: string) => value) as unknown as NonNullable<ClientConfig['types']>['getTypeParser'],
};

export class PostgresCopySource implements CopySource {
  readonly engine = 'postgres';
  private cursors = 0;

  private constructor(private readonly client: Client) {}

  static async open(url: string): Promise<PostgresCopySource> {
    const client = new (pg().Client)({ connectionString: url, types: asText });
    client.on('error', () => undefined);
    await client.connect();
    try {
      await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
      await client.query('SET LOCAL statement_timeout = 0');
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

  async columns(table: string): Promise<string[]> {
    const { rows } = await this.client.query<{ name: string }>(
      `SELECT column_name AS name FROM information_schema.columns
       WHERE table_schema = current_schema() AND table_name = $1 ORDER BY ordinal_position`,
      [table],
    );
    return rows.map((r) => r.name);
  }

  async count(table: string): Promise<number> {
    const { rows } = await this.client.query<{ n: string }>(`SELECT count(*) AS n FROM ${q(table)}`);
    return Number(rows[0].n);
  }

  async *rows(table: string, columns: readonly string[]): RowPages {
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
