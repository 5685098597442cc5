import { type SqlDialect, type Typed, quoteIdent, sqliteValue } from './dialect';
import { type Frag, joinFrags, param, raw, sql } from './sql-fragment';

/** SQLITE_MAX_LIKE_PATTERN_LENGTH. */
const MAX_LIKE_PATTERN_BYTES = 50000;

function guardedArray(json: Frag): Frag {
  return sql`(CASE WHEN json_valid(${json}) AND json_type(${json}) = 'array' THEN ${json} WHEN ${json} IS NULL OR ${json} = '' THEN '[]' ELSE json_array(${json}) END)`;
}

const typed = (expr: Frag, vtype: Typed['vtype']): Typed => ({ expr, vtype });

/** SQLite: the compiler's semantics are SQLite's own, so every operation is the plain SQL form. */
export const sqliteDialect: SqlDialect = {
  name: 'sqlite',
  quoteIdent,
  column: (alias, column) => raw(`${quoteIdent(alias)}.${quoteIdent(column)}`),
  table: (name, alias) => raw(`${quoteIdent(name)} ${quoteIdent(alias)}`),
  oneRow: (alias) => raw(`(SELECT 1) ${quoteIdent(alias)}`),
  rowid: (alias) => raw(`${quoteIdent(alias)}.rowid`),
  random: () => raw('RANDOM()'),
  alwaysTrue: () => raw('1'),
  notTrue: (cond) => sql`NOT COALESCE((${cond}), 0)`,
  isTrue: (column) => sql`${column} = 1`,
  bind: (binder, kind) => typed(param(binder), kind === 'text' ? 'text' : 'dyn'),
  compare: (a, op, b) => sql`${a.expr} ${raw(op)} ${b.expr}`,
  isNull: (x, negate) => sql`${x.expr} ${raw(negate ? 'IS NOT NULL' : 'IS NULL')}`,
  coalesceEmpty: (x) => typed(sql`COALESCE(${x.expr}, '')`, 'dyn'),
  emptyText: () => typed(raw("''"), 'text'),
  boolLiteral: (value) => typed(raw(value ? '1' : '0'), 'int'),
  nullLiteral: () => typed(raw('NULL'), 'null'),
  // A pattern over SQLite's LIKE length limit (50000 bytes) would be an SQL error: it matches nothing instead.
  like: (left, right, negate) =>
    sql`(CASE WHEN length(CAST(${right} AS BLOB)) > ${raw(String(MAX_LIKE_PATTERN_BYTES))} THEN NULL ELSE ${left.expr} ${raw(negate ? 'NOT LIKE' : 'LIKE')} ${right} ESCAPE '\\' END)`,
  wrapLike: (x) => sql`('%' || ${x.expr} || '%')`,
  jsonEach: (json, alias, trusted) => sql`json_each(${trusted ? json : guardedArray(json)}) ${raw(quoteIdent(alias))}`,
  jsonEachValue: (alias) => typed(raw(`${quoteIdent(alias)}.value`), 'json'),
  jsonArrayLength: (json, trusted) => typed(sql`json_array_length(${trusted ? json : guardedArray(json)})`, 'int'),
  jsonExtract: (json, parts) => {
    const path = '$' + parts.map((p) => (/^\d+$/.test(p) ? `[${p}]` : `."${p}"`)).join('');
    return typed(sql`(CASE WHEN json_valid(${json}) THEN json_extract(${json}, ${param(() => path)}) END)`, 'json');
  },
  jsonArrayContains: (json, value) =>
    sql`EXISTS (SELECT 1 FROM json_each(${guardedArray(json)}) WHERE json_each.value = ${value})`,
  lower: (x) => typed(sql`LOWER(${x.expr})`, 'text'),
  interruptCheck: () => raw('nb_tick()'),
  strftime: (_format, bindFormat, args) =>
    typed(sql`strftime(${joinFrags([bindFormat.expr, ...args.map((a) => a.expr)], ', ')})`, 'text'),
  geoDistance: (lonA, latA, lonB, latB) =>
    typed(
      sql`(6371 * acos(MIN(1, MAX(-1, cos(radians(${latA.expr})) * cos(radians(${latB.expr})) * cos(radians(${lonB.expr}) - radians(${lonA.expr})) + sin(radians(${latA.expr})) * sin(radians(${latB.expr}))))))`,
      'number',
    ),
  changed: (isSet, value, column) =>
    typed(sql`(CASE WHEN ${isSet.expr} THEN (${value.expr} IS NOT ${column.expr}) ELSE 0 END)`, 'int'),
  orderBy: (x, desc) => sql`${x.expr}${raw(desc ? ' DESC' : ' ASC')}`,
  subquery: (x, from) => ({ ...x, expr: sql`(SELECT ${x.expr} FROM ${from})` }),
  toValue: sqliteValue,
};
