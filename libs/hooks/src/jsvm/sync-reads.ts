import { NotFoundError } from '@lib/core';
import { Database, SqlExecutor } from '@lib/database';
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
  /** A read-only SQL statement with `?` parameters (`$app.db()`). */
  query(sql: string, params: unknown[]): Record<string, unknown>[];
  collection(idOrName: string): CollectionModel;
}

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

  override query<T>(sql: string, params?: readonly unknown[]): Promise<T[]> {
    this.rows = this.database.querySync(sql, params);
    return Promise.resolve(this.rows as T[]);
  }

  override run(): Promise<number> {
    return Promise.reject(new Error('synchronous writes are not supported'));
  }

  /** The rows of the statement `call` ran (synchronously). */
  take(call: (db: SqlExecutor) => Promise<unknown>): Record<string, unknown>[] {
    this.rows = null;
    void call(this).catch(() => undefined);
    const rows = this.rows as Record<string, unknown>[] | null;
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

/** The finders over `repository` and the rule compiler, each answered synchronously (SQLite only). */
export function syncFinders(
  database: Database,
  repository: RecordRepository,
  rules: RuleGuard,
  collection: (idOrName: string) => CollectionModel,
  request: Parameters<RuleGuard['compile']>[3],
): SyncFinders {
  const exec = new SyncExecutor(database);
  const toRecord = (c: CollectionModel, row: Record<string, unknown>) => {
    const data = fromRow(c, row);
    return new HookRecord(c, data, { ...data });
  };
  const where = (c: CollectionModel, filter: string, params: Record<string, unknown>) =>
    filter ? [rules.compile(c, placeholders(filter), 'filter', request, params)] : [];
  const list = (name: string, filter = '', sort = '', limit = 0, offset = 0, params: Record<string, unknown> = {}) => {
    const c = collection(name);
    const query = {
      where: where(c, filter, params),
      orderBy: rules.sort(c, sort, request),
      limit: limit > 0 ? limit : 1_000_000,
      offset: Math.max(0, offset),
    };
    return exec.take((db) => repository.list(c, query, db)).map((row) => toRecord(c, row));
  };
  const first = (records: HookRecord[]) => {
    if (!records[0]) {
      throw new NotFoundError();
    }
    return records[0];
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
      const c = collection(name);
      if (!c.fields.some((f) => f.name === field)) {
        throw new NotFoundError();
      }
      return first(list(name, `${field} = {:value}`, '', 1, 0, { value }));
    },
    countRecords: (name, filter = '', params = {}) => {
      const c = collection(name);
      const rows = exec.take((db) => repository.count(c, where(c, filter, params), db));
      return Number(rows[0]?.n ?? 0);
    },
    query: (sql, params) => database.querySync(sql, params, true),
    collection,
  };
}
