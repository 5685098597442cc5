import { quoteIdentifier } from '@lib/database';
import { bindNamed } from '../migrations/migration-sql';

/** A SQL condition with `?` placeholders and their values (never spliced into the text). */
export interface DbxSql {
  sql: string;
  params: unknown[];
}

/** One of `$dbx`'s expressions: `build()` gives its SQL ('' for no condition). */
export class DbxExpression {
  constructor(readonly build: () => DbxSql) {}
}

const NONE: DbxSql = { sql: '', params: [] };
const FALSE: DbxSql = { sql: '0=1', params: [] };

/** A column name as dbx quotes it: each dot-separated part (`"r"."title"`). */
const column = (name: string) => name.split('.').map(quoteIdentifier).join('.');

const sqlOf = (e: unknown): DbxSql => (e instanceof DbxExpression ? e.build() : NONE);

function joined(op: 'AND' | 'OR', parts: DbxSql[]): DbxSql {
  const kept = parts.filter((p) => p.sql !== '');
  if (kept.length <= 1) {
    return kept[0] ?? NONE;
  }
  return { sql: kept.map((p) => `(${p.sql})`).join(` ${op} `), params: kept.flatMap((p) => p.params) };
}

function inExp(col: string, values: unknown[], not: boolean): DbxSql {
  const list = values.length === 1 && Array.isArray(values[0]) ? (values[0] as unknown[]) : values;
  if (list.length === 0) {
    return not ? NONE : FALSE;
  }
  if (list.length === 1 && (list[0] === null || list[0] === undefined)) {
    return { sql: `${column(col)} IS ${not ? 'NOT ' : ''}NULL`, params: [] };
  }
  if (list.length === 1) {
    return { sql: `${column(col)}${not ? '<>' : '='}?`, params: [list[0]] };
  }
  return { sql: `${column(col)} ${not ? 'NOT IN' : 'IN'} (${list.map(() => '?').join(', ')})`, params: list };
}

/** dbx's LIKE: each value escaped and matched anywhere (`%value%`), the parts joined by `op`. */
function likeExp(col: string, values: string[], not: boolean, op: 'AND' | 'OR'): DbxSql {
  const parts = values.map((v) => ({
    sql: `${column(col)} ${not ? 'NOT LIKE' : 'LIKE'} ? ESCAPE '\\'`,
    params: [`%${String(v).replace(/[\\%_]/g, '\\$&')}%`],
  }));
  return joined(op, parts);
}

const exp = (fn: () => DbxSql) => new DbxExpression(fn);

/**
 * PocketBase's `$dbx` (ozzo-dbx's expressions), for `$app.findAllRecords(collection, ...exprs)` and
 * `$app.countRecords(collection, ...exprs)`: `exp(sql, {params})` with `{:name}` placeholders bound, `hashExp`,
 * `not`, `and`, `or`, `in`, `notIn`, `like`, `orLike`, `notLike`, `orNotLike`, `exists`, `notExists`, `between`,
 * `notBetween`. Values are always bound; column names are quoted.
 */
export const $dbx = {
  exp: (sql: string, params: Record<string, unknown> = {}) =>
    exp(() => {
      const [text, values] = bindNamed(sql, params);
      return { sql: text, params: values };
    }),
  hashExp: (data: Record<string, unknown>) =>
    exp(() =>
      joined(
        'AND',
        Object.keys(data)
          .sort()
          .map((key) => {
            const value = data[key];
            if (value instanceof DbxExpression) {
              return value.build();
            }
            return inExp(key, Array.isArray(value) ? [value] : [value], false);
          }),
      ),
    ),
  not: (e: unknown) =>
    exp(() => {
      const inner = sqlOf(e);
      return inner.sql === '' ? NONE : { sql: `NOT (${inner.sql})`, params: inner.params };
    }),
  and: (...es: unknown[]) => exp(() => joined('AND', es.map(sqlOf))),
  or: (...es: unknown[]) => exp(() => joined('OR', es.map(sqlOf))),
  in: (col: string, ...values: unknown[]) => exp(() => inExp(col, values, false)),
  notIn: (col: string, ...values: unknown[]) => exp(() => inExp(col, values, true)),
  like: (col: string, ...values: string[]) => exp(() => likeExp(col, values, false, 'AND')),
  orLike: (col: string, ...values: string[]) => exp(() => likeExp(col, values, false, 'OR')),
  notLike: (col: string, ...values: string[]) => exp(() => likeExp(col, values, true, 'AND')),
  orNotLike: (col: string, ...values: string[]) => exp(() => likeExp(col, values, true, 'OR')),
  exists: (e: unknown) =>
    exp(() => {
      const inner = sqlOf(e);
      return inner.sql === '' ? NONE : { sql: `EXISTS (${inner.sql})`, params: inner.params };
    }),
  notExists: (e: unknown) =>
    exp(() => {
      const inner = sqlOf(e);
      return inner.sql === '' ? NONE : { sql: `NOT EXISTS (${inner.sql})`, params: inner.params };
    }),
  between: (col: string, from: unknown, to: unknown) =>
    exp(() => ({ sql: `${column(col)} BETWEEN ? AND ?`, params: [from, to] })),
  notBetween: (col: string, from: unknown, to: unknown) =>
    exp(() => ({ sql: `${column(col)} NOT BETWEEN ? AND ?`, params: [from, to] })),
};

/** The conditions of `findAllRecords` / `countRecords` arguments (non-expressions are refused). */
export function dbxConditions(exprs: unknown[], fn: string): DbxSql[] {
  return exprs.map((e) => {
    if (!(e instanceof DbxExpression)) {
      throw new TypeError(`$app.${fn}: expressions are made with $dbx (a filter string goes to findRecordsByFilter)`);
    }
    return e.build();
  });
}
