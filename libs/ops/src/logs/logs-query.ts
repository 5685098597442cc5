import { BadRequestError } from '@lib/core';
import { QueryCompiler, type RequestInfo, type SchemaLookup } from '@lib/query';
import type { CollectionModel, FieldModel } from '@lib/schema';
import type { LogSql } from './log-entry';

const field = (name: string, type: FieldModel['type']): FieldModel => ({
  id: `logs_${name}`,
  name,
  type,
  system: true,
  hidden: false,
  presentable: false,
});

/** `_logs` described as a collection, so filters and sorts go through the one compiler (`data.*` as JSON paths). */
export const LOGS_COLLECTION: CollectionModel = {
  id: '_logs',
  name: '_logs',
  type: 'base',
  system: true,
  listRule: null,
  viewRule: null,
  createRule: null,
  updateRule: null,
  deleteRule: null,
  fields: [
    field('id', 'text'),
    field('created', 'date'),
    field('level', 'number'),
    field('message', 'text'),
    field('data', 'json'),
  ],
  indexes: [],
  created: '',
  updated: '',
};

const schema: SchemaLookup = {
  findCollection: (nameOrId) => (nameOrId.toLowerCase() === '_logs' ? LOGS_COLLECTION : undefined),
  allCollections: () => [LOGS_COLLECTION],
};

const request: RequestInfo = { auth: null, body: {}, query: {}, headers: {}, method: 'GET', context: 'default' };

/**
 * Compiles `filter` and `sort` params over the log fields, in the database's dialect (`compiler` is the one the
 * records use); a bad expression is a 400.
 */
export class LogsQuery {
  constructor(
    private readonly compiler: QueryCompiler,
    private readonly engine: 'sqlite' | 'postgres',
  ) {}

  filter(expr: string | undefined): LogSql | null {
    if (!expr) {
      return null;
    }
    return this.guard('filter', () => {
      const compiled = this.compiler.compile(expr, this.options());
      return { sql: compiled.sql, params: compiled.bind(request) };
    });
  }

  sort(expr: string | undefined): LogSql | null {
    const text = (expr ?? '').trim();
    if (text === '' || text === '-rowid') {
      return null;
    }
    if (text === 'rowid' || text === '+rowid') {
      // the oldest first: insertion order on SQLite; on PostgreSQL, whose tables have no row ids, `created` and the id
      return { sql: this.engine === 'postgres' ? '"r"."created" ASC, "r"."id" ASC' : '"r"."rowid" ASC', params: [] };
    }
    return this.guard('sort', () => {
      const compiled = this.compiler.compileSort(text, this.options());
      return compiled.sql ? { sql: compiled.sql, params: compiled.bind(request) } : null;
    });
  }

  private options() {
    return { collection: LOGS_COLLECTION, schema, mode: 'filter' as const, isSuperuser: true, alias: 'r' };
  }

  private guard<T>(what: string, compile: () => T): T {
    try {
      return compile();
    } catch (error) {
      const detail = error instanceof Error ? ` ${error.message}` : '';
      throw new BadRequestError(`Invalid ${what} parameters.${detail}`);
    }
  }
}
