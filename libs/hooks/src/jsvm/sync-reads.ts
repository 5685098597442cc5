import { NotFoundError } from '@lib/core';
import { Database, quoteIdentifier, SqlExecutor, TxExecutor } from '@lib/database';
import { fromRow, type RecordRepository, type RuleGuard } from '@lib/records';
import type { CollectionModel } from '@lib/schema';
import { HookRecord } from '../hook-record';

/** The synchronous record finders of PocketBase-style hooks (`$app.findRecordById(…)` returns the record). */
export interface SyncFinders {
  findRecordById(collection: string, id: string): HookRecord;
  findRecordsByIds(collection: string, ids: string[]): HookRecord[];
  findFirstRecordByFilter(collection: string, filter: string, params?: Record<string, unknown>): HookRecord;
  findRecordsByFilter(
    collection: string,
    filter?: string,
    sort?: string,
    limit?: number,
    offset?: number,
    params?: Record<string, unknown>,
  ): HookRecord[];
  findFirstRecordByData(collection: string, field: string, value: unknown): HookRecord;
  countRecords(collection: string, filter?: string, params?: Record<string, unknown>): number;
  /** Every record matching all the `$dbx` conditions (`$app.findAllRecords(c, ...exprs)`). */
  findAllRecords(collection: string, where: Condition[]): HookRecord[];
  /** How many records match all the `$dbx` conditions (`$app.countRecords(c, ...exprs)`). */
  countWhere(collection: string, where: Condition[]): number;
  /** A read-only SQL statement with `?` parameters (`$app.db()`). */
  query(sql: string, params: unknown[]): Record<string, unknown>[];
  collection(idOrName: string): CollectionModel;
}

/** A SQL condition with `?` placeholders and its bound values (`$dbx` expressions). */
type Condition = { sql: string; params: unknown[] };

/** The same finders answering promises (PostgreSQL): PocketBase-style files get their calls awaited. */
export type AwaitedFinders = {
  [K in Exclude<keyof SyncFinders, 'collection'>]: (
    ...args: Parameters<SyncFinders[K]>
  ) => Promise<ReturnType<SyncFinders[K]>>;
} & Pick<SyncFinders, 'collection'>;

/**
 * An executor that runs each statement synchronously on the main SQLite connection (inside the open write
 * transaction, if any) and keeps its rows: the repository builds the SQL and calls `query` in the same tick,
 * so its rows are here as soon as the repository method returns, without awaiting its promise.
 */
class SyncExecutor extends SqlExecutor {
  rows: Record<string, unknown>[] | null = null;

  constructor(private readonly database: Database) {
    super();
  }

  /** What the statement threw (thrown again by `take`: the repository's promise would only reject). */
  failure: { error: unknown } | null = null;

  override query<T>(sql: string, params?: readonly unknown[]): Promise<T[]> {
    try {
      this.rows = this.database.querySync(sql, params);
    } catch (error) {
      this.failure = { error };
      throw error;
    }
    return Promise.resolve(this.rows as T[]);
  }

  override run(): Promise<number> {
    return Promise.reject(new Error('synchronous writes are not supported'));
  }

  /** The rows of the statement `call` ran (synchronously). */
  take(call: (db: SqlExecutor) => Promise<unknown>): Record<string, unknown>[] {
    this.rows = null;
    this.failure = null;
    void call(this).catch(() => undefined);
    const rows = this.rows as Record<string, unknown>[] | null;
    const failure = this.failure as { error: unknown } | null;
    if (failure) {
      throw failure.error;
    }
    if (rows === null) {
      throw new Error('the repository did not query synchronously');
    }
    return rows;
  }
}

/** `{:name}` placeholders of a filter become `@request.body.name`, bound as values, never spliced into the text. */
export function placeholders(filter: string): string {
  return filter.replace(/\{:(\w+)\}/g, '@request.body.$1');
}

type Rules = Pick<RuleGuard, 'compile' | 'sort'>;
type Request = Parameters<RuleGuard['compile']>[3];

function toRecord(c: CollectionModel, row: Record<string, unknown>): HookRecord {
  const data = fromRow(c, row);
  return new HookRecord(c, data, { ...data });
}

function first(records: HookRecord[]): HookRecord {
  if (!records[0]) {
    throw new NotFoundError();
  }
  return records[0];
}

/** The list query of a `findRecordsByFilter` call (`limit` 0: all). */
function listQuery(
  rules: Rules,
  request: Request,
  c: CollectionModel,
  filter: string,
  sort: string,
  limit: number,
  offset: number,
  params: Record<string, unknown>,
) {
  return {
    where: whereOf(rules, request, c, filter, params),
    orderBy: rules.sort(c, sort, request),
    limit: limit > 0 ? limit : 1_000_000,
    offset: Math.max(0, offset),
  };
}

function whereOf(rules: Rules, request: Request, c: CollectionModel, filter: string, params: Record<string, unknown>) {
  return filter ? [rules.compile(c, placeholders(filter), 'filter', request, params)] : [];
}

/**
 * `countRecords`' statement, run as it is: the repository's `count` may answer from its cache without a statement,
 * which a synchronous caller can't take the value of.
 */
function countSql(c: CollectionModel, where: { sql: string; params: unknown[] }[]): [string, unknown[]] {
  const active = where.filter((w) => w.sql !== '');
  const cond = active.length ? ` WHERE ${active.map((w) => `(${w.sql})`).join(' AND ')}` : '';
  return [`SELECT COUNT(*) AS "n" FROM ${quoteIdentifier(c.name)} "r"${cond}`, active.flatMap((w) => w.params)];
}

/** `findFirstRecordByData`'s filter; a field the collection lacks finds nothing (null). */
function dataFilter(c: CollectionModel, field: string): string | null {
  return c.fields.some((f) => f.name === field) ? `${field} = {:value}` : null;
}

/** The finders over `repository` and the rule compiler, each answered synchronously (SQLite only). */
export function syncFinders(
  database: Database,
  repository: RecordRepository,
  rules: Rules,
  collection: (idOrName: string) => CollectionModel,
  request: Request,
): SyncFinders {
  const exec = new SyncExecutor(database);
  const list = (name: string, filter = '', sort = '', limit = 0, offset = 0, params: Record<string, unknown> = {}) => {
    const c = collection(name);
    const query = listQuery(rules, request, c, filter, sort, limit, offset, params);
    return exec.take((db) => repository.list(c, query, db)).map((row) => toRecord(c, row));
  };
  return {
    findRecordById: (name, id) => {
      const c = collection(name);
      return first(exec.take((db) => repository.findById(c, id, [], db)).map((row) => toRecord(c, row)));
    },
    findRecordsByIds: (name, ids) => {
      const c = collection(name);
      return exec.take((db) => repository.findByIds(c, ids, [], db)).map((row) => toRecord(c, row));
    },
    findFirstRecordByFilter: (name, filter, params = {}) => first(list(name, filter, '', 1, 0, params)),
    findRecordsByFilter: list,
    findFirstRecordByData: (name, field, value) => {
      const filter = dataFilter(collection(name), field);
      if (filter === null) {
        throw new NotFoundError();
      }
      return first(list(name, filter, '', 1, 0, { value }));
    },
    countRecords: (name, filter = '', params = {}) => {
      const c = collection(name);
      const rows = database.querySync(...countSql(c, whereOf(rules, request, c, filter, params)));
      return Number(rows[0]?.n ?? 0);
    },
    findAllRecords: (name, where) => {
      const c = collection(name);
      const query = { where, orderBy: null, limit: 1_000_000, offset: 0 };
      return exec.take((db) => repository.list(c, query, db)).map((row) => toRecord(c, row));
    },
    countWhere: (name, where) => Number(database.querySync(...countSql(collection(name), where))[0]?.n ?? 0),
    query: (sql, params) => database.querySync(sql, params, true),
    collection,
  };
}

/**
 * A read-only statement of `$app.db()` on PostgreSQL. In a transaction it runs in a read-only savepoint, rolled
 * back to at once: it sees the transaction's own rows, and a failing statement doesn't abort the transaction
 * (PostgreSQL would, SQLite doesn't). Outside one, in a read-only transaction of its own.
 */
async function readOnlyQuery(
  database: Database,
  tx: TxExecutor | undefined,
  sql: string,
  params: unknown[],
): Promise<Record<string, unknown>[]> {
  if (!tx) {
    return database.transaction(async (own) => {
      await own.run('SET TRANSACTION READ ONLY');
      return own.query(sql, params);
    });
  }
  await tx.run('SAVEPOINT nb_hook_read');
  try {
    await tx.run('SET LOCAL transaction_read_only = on');
    return await tx.query(sql, params);
  } finally {
    await tx.run('ROLLBACK TO SAVEPOINT nb_hook_read');
    await tx.run('RELEASE SAVEPOINT nb_hook_read');
  }
}

/**
 * The finders answering promises (PostgreSQL), inside the transaction `tx` when there is one (its own uncommitted
 * rows are seen), else on the pool.
 */
export function awaitedFinders(
  database: Database,
  repository: RecordRepository,
  rules: Rules,
  collection: (idOrName: string) => CollectionModel,
  request: Request,
  tx: TxExecutor | undefined,
): AwaitedFinders {
  const list = async (
    name: string,
    filter = '',
    sort = '',
    limit = 0,
    offset = 0,
    params: Record<string, unknown> = {},
  ) => {
    const c = collection(name);
    const rows = await repository.list(c, listQuery(rules, request, c, filter, sort, limit, offset, params), tx);
    return rows.map((row) => toRecord(c, row));
  };
  return {
    findRecordById: async (name, id) => {
      const c = collection(name);
      const row = await repository.findById(c, id, [], tx);
      return first(row ? [toRecord(c, row)] : []);
    },
    findRecordsByIds: async (name, ids) => {
      const c = collection(name);
      return (await repository.findByIds(c, ids, [], tx)).map((row) => toRecord(c, row));
    },
    findFirstRecordByFilter: async (name, filter, params = {}) => first(await list(name, filter, '', 1, 0, params)),
    findRecordsByFilter: list,
    findFirstRecordByData: async (name, field, value) => {
      const filter = dataFilter(collection(name), field);
      if (filter === null) {
        throw new NotFoundError();
      }
      return first(await list(name, filter, '', 1, 0, { value }));
    },
    countRecords: async (name, filter = '', params = {}) => {
      const c = collection(name);
      return repository.count(c, whereOf(rules, request, c, filter, params), tx);
    },
    findAllRecords: async (name, where) => {
      const c = collection(name);
      const rows = await repository.list(c, { where, orderBy: null, limit: 1_000_000, offset: 0 }, tx);
      return rows.map((row) => toRecord(c, row));
    },
    countWhere: async (name, where) => {
      const rows = await (tx ?? database).query<{ n: unknown }>(...countSql(collection(name), where));
      return Number(rows[0]?.n ?? 0);
    },
    query: (sql, params) => readOnlyQuery(database, tx, sql, params),
    collection,
  };
}
