import { type SqlDialect, type SqlOperator, type Typed, quoteIdent, sqliteValue } from './dialect';
import { invalidFilter } from './errors';
import { postgresStrftime } from './postgres-strftime';
import { type Binder, type Frag, joinFrags, param, raw, sql } from './sql-fragment';

/**
 * PostgreSQL, with SQLite's semantics (PocketBase's database): columns are typed (text, double precision,
 * boolean, jsonb), and wherever SQLite would compare values of different storage classes or convert them by
 * affinity, both sides are lifted to `jsonb` numbers/texts and compared by the `nb_*` functions of
 * `POSTGRES_SUPPORT_SQL`. Same-class comparisons stay native (and indexable). Every bound value is encoded by
 * its bind site (text, jsonb, boolean), so `toValue` passes strings through.
 */

const typed = (expr: Frag, vtype: Typed['vtype']): Typed => ({ expr, vtype });
const NUMERIC = new Set<Typed['vtype']>(['number', 'int', 'bool']);

/** The value as a jsonb number/text (SQLite's storage classes), SQL NULL for NULL. */
function dyn(x: Typed): Frag {
  switch (x.vtype) {
    case 'text':
      return sql`to_jsonb((${x.expr})::text)`;
    case 'number':
      return sql`to_jsonb((${x.expr})::float8)`;
    case 'bool':
      return sql`to_jsonb((${x.expr})::int)`;
    case 'int':
      return sql`to_jsonb((${x.expr})::bigint)`;
    case 'jsonText':
      return sql`to_jsonb(nb_json_compact(${x.expr}))`;
    case 'json':
      return sql`nb_jv(${x.expr})`;
    case 'dyn':
      return x.expr;
    case 'null':
      return raw('NULL::jsonb');
  }
}

/** The value as SQLite's text of it. */
function text(x: Typed): Frag {
  switch (x.vtype) {
    case 'text':
      return x.expr;
    case 'number':
      return sql`((${x.expr})::float8)::text`;
    case 'bool':
      return sql`((${x.expr})::int)::text`;
    case 'int':
      return sql`(${x.expr})::text`;
    case 'jsonText':
      return sql`nb_json_compact(${x.expr})`;
    case 'null':
      return raw('NULL::text');
    case 'json':
    case 'dyn':
      return sql`nb_str(${dyn(x)})`;
  }
}

function numeric(x: Typed): Frag {
  return x.vtype === 'bool' ? sql`(${x.expr})::int` : x.expr;
}

type Side = { kind: 'text' | 'num' | 'dyn'; expr: Frag };

/** One side of a comparison after SQLite's affinity rules (§4.2 of its datatype doc) given the other side. */
function side(x: Typed, other: Typed): Side {
  if (other.affinity === 'numeric' && x.affinity !== 'numeric') {
    return NUMERIC.has(x.vtype) ? { kind: 'num', expr: numeric(x) } : { kind: 'dyn', expr: sql`nb_num(${dyn(x)})` };
  }
  if (other.affinity === 'text' && !x.affinity) {
    return { kind: 'text', expr: text(x) };
  }
  if (x.vtype === 'text') {
    return { kind: 'text', expr: x.expr };
  }
  return NUMERIC.has(x.vtype) ? { kind: 'num', expr: numeric(x) } : { kind: 'dyn', expr: dyn(x) };
}

const liftSide = (s: Side): Frag =>
  s.kind === 'dyn' ? s.expr : s.kind === 'text' ? sql`to_jsonb((${s.expr})::text)` : sql`to_jsonb(${s.expr})`;

const NATIVE: Record<SqlOperator, string> = {
  '=': '=',
  '!=': '<>',
  IS: 'IS NOT DISTINCT FROM',
  'IS NOT': 'IS DISTINCT FROM',
  '>': '>',
  '>=': '>=',
  '<': '<',
  '<=': '<=',
};

const BOOL_LITERAL: Record<string, string> = { '0': 'FALSE', '1': 'TRUE' };

/**
 * A bool column against the literal `true`/`false`: compared as a boolean (`"done" = FALSE`), which means the same
 * as the integer comparison SQLite makes, but lets the planner use the column's statistics (a cast to int is
 * guessed to match 0.5 % of the rows, so a list of half the table was sorted instead of read in index order).
 */
function boolAgainstLiteral(a: Typed, op: SqlOperator, b: Typed): Frag | null {
  const [column, literal] = a.vtype === 'bool' ? [a, b] : [b, a];
  const value =
    literal.vtype === 'int' && literal.expr.params.length === 0 ? BOOL_LITERAL[literal.expr.sql] : undefined;
  if (column.vtype !== 'bool' || !value || !['=', '!=', 'IS', 'IS NOT'].includes(op)) {
    return null;
  }
  return sql`${column.expr} ${raw(NATIVE[op])} ${raw(value)}`;
}

function compare(a: Typed, op: SqlOperator, b: Typed): Frag {
  const asBool = boolAgainstLiteral(a, op, b);
  if (asBool) {
    return asBool;
  }
  const l = side(a, b);
  const r = side(b, a);
  if (l.kind === r.kind && l.kind !== 'dyn') {
    const collate = l.kind === 'text' && !['=', '!=', 'IS', 'IS NOT'].includes(op) ? raw(' COLLATE "C"') : raw('');
    return sql`${l.expr}${collate} ${raw(NATIVE[op])} ${r.expr}${collate}`;
  }
  const [x, y] = [liftSide(l), liftSide(r)];
  switch (op) {
    case 'IS':
      return sql`nb_is(${x}, ${y})`;
    case 'IS NOT':
      return sql`NOT nb_is(${x}, ${y})`;
    default:
      return sql`nb_cmp(${x}, ${y}) ${raw(NATIVE[op])} 0`;
  }
}

const NUL = /\0/;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** A text as PostgreSQL can hold it: lone surrogates become U+FFFD (as SQLite's UTF-8 does); NUL is a 400. */
function pgText(s: string): string {
  if (NUL.test(s)) {
    throw invalidFilter('PostgreSQL text values cannot contain NUL characters');
  }
  return s.replace(LONE_SURROGATE, '\ufffd');
}

/** A JS value, as SQLite would hold it, encoded as jsonb text (REAL numbers keep a `.0`: SQLite's text of them). */
export function encodeDyn(value: unknown): string | null {
  const v = sqliteValue(value);
  if (v === null) {
    return null;
  }
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) {
      return null;
    }
    return Number.isInteger(v) && Math.abs(v) < 1e15 ? v.toFixed(1) : String(v);
  }
  if (typeof v === 'bigint') {
    return v.toString();
  }
  return JSON.stringify(pgText(v));
}

function bindAs(binder: Binder, cast: string, encode: (v: unknown) => string | null): Frag {
  return sql`(${param((ctx) => encode(binder(ctx)))}::${raw(cast)})`;
}

function encodeText(value: unknown): string | null {
  const v = sqliteValue(value);
  return v === null ? null : pgText(typeof v === 'number' ? (encodeDyn(v) ?? '') : String(v));
}

function encodeJsonArray(value: unknown): string | null {
  return typeof value === 'string' ? JSON.stringify(JSON.parse(pgText(value))) : encodeDyn(value);
}

const guarded = (json: Frag, trusted: boolean): Frag => (trusted ? json : sql`nb_arr(${json})`);

export const postgresDialect: SqlDialect = {
  name: 'postgres',
  quoteIdent,
  column: (alias, column) => raw(`${quoteIdent(alias)}.${quoteIdent(column)}`),
  table: (name, alias) => raw(`${quoteIdent(name)} ${quoteIdent(alias)}`),
  oneRow: (alias) => raw(`(SELECT 1) ${quoteIdent(alias)}`),
  // PostgreSQL tables have no row ids: `@rowid` is the physical order (`ctid`), insertion order until rows are
  // updated, as the lists' default order there (libs/records).
  rowid: (alias) => raw(`${quoteIdent(alias)}.ctid`),
  random: () => raw('random()'),
  alwaysTrue: () => raw('TRUE'),
  notTrue: (cond) => sql`(${cond}) IS NOT TRUE`,
  isTrue: (column) => sql`(${column}) IS TRUE`,
  bind: (binder, kind) => {
    switch (kind) {
      case 'text':
        return typed(bindAs(binder, 'text', encodeText), 'text');
      case 'bool':
        return typed(
          bindAs(binder, 'boolean', (v) => (v ? 'true' : 'false')),
          'int',
        );
      case 'jsonArray':
        return typed(bindAs(binder, 'jsonb', encodeJsonArray), 'jsonText');
      case 'dyn':
        return typed(bindAs(binder, 'jsonb', encodeDyn), 'dyn');
    }
  },
  compare,
  isNull: (x, negate) => sql`${x.expr} ${raw(negate ? 'IS NOT NULL' : 'IS NULL')}`,
  coalesceEmpty: (x) =>
    x.vtype === 'text'
      ? typed(sql`COALESCE(${x.expr}, '')`, 'text')
      : typed(sql`COALESCE(${dyn(x)}, '""'::jsonb)`, 'dyn'),
  emptyText: () => typed(raw("''::text"), 'text'),
  boolLiteral: (value) => typed(raw(value ? '1' : '0'), 'int'),
  nullLiteral: () => typed(raw('NULL'), 'null'),
  like: (left, pattern, negate) => sql`${raw(negate ? 'NOT ' : '')}nb_like(${text(left)}, ${pattern})`,
  wrapLike: (x) => sql`('%' || ${text(x)} || '%')`,
  jsonEach: (json, alias, trusted) =>
    sql`jsonb_array_elements(${guarded(json, trusted)}) AS ${raw(quoteIdent(alias))}(value)`,
  jsonEachValue: (alias) => typed(raw(`${quoteIdent(alias)}.value`), 'json'),
  jsonArrayLength: (json, trusted) => typed(sql`jsonb_array_length(${guarded(json, trusted)})`, 'int'),
  jsonExtract: (json, parts) => {
    const path = `{${parts.join(',')}}`;
    return typed(sql`(${json} #> ${param(() => path)}::text[])`, 'json');
  },
  jsonArrayContains: (json, value) => sql`(nb_arr(${json}) @> jsonb_build_array((${value})::text))`,
  lower: (x) => typed(sql`translate(${text(x)}, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz')`, 'text'),
  interruptCheck: () => raw('TRUE'),
  strftime: (format, _bindFormat, args) => {
    const [time, ...modifiers] = args;
    if (modifiers.length > 0) {
      throw invalidFilter('strftime() modifiers are supported only on SQLite');
    }
    const t = time ? sql`nb_time(${dyn(time)})` : raw(`(statement_timestamp() AT TIME ZONE 'UTC')`);
    return typed(postgresStrftime(format, t), 'text');
  },
  geoDistance: (...args) => {
    const real = (x: Typed): Frag => (NUMERIC.has(x.vtype) ? sql`(${numeric(x)})::float8` : sql`nb_real(${dyn(x)})`);
    return typed(sql`nb_geo(${joinFrags(args.map(real), ', ')})`, 'number');
  },
  changed: (isSet, value, column) =>
    typed(sql`(CASE WHEN ${isSet.expr} THEN (${compare(value, 'IS NOT', column)})::int ELSE 0 END)`, 'int'),
  orderBy: (x, desc) => {
    const dir = raw(desc ? ' DESC NULLS LAST' : ' ASC NULLS FIRST');
    if (x.vtype === 'text' || x.vtype === 'jsonText') {
      return sql`${text(x)} COLLATE "C"${dir}`;
    }
    if (NUMERIC.has(x.vtype)) {
      return sql`${numeric(x)}${dir}`;
    }
    const d = dyn(x);
    const cls = sql`(CASE WHEN ${d} IS NULL THEN 0 WHEN jsonb_typeof(${d}) = 'number' THEN 1 ELSE 2 END)`;
    const num = sql`(CASE WHEN jsonb_typeof(${d}) = 'number' THEN (${d})::numeric END)`;
    return sql`${cls}${dir}, ${num}${dir}, nb_str(${d}) COLLATE "C"${dir}`;
  },
  subquery: (x, from) => ({ ...x, expr: sql`(SELECT ${x.expr} FROM ${from})` }),
  // Bind sites encode their values already; anything else is encoded as a jsonb value.
  toValue: (value) => (typeof value === 'string' ? value : encodeDyn(value)),
};
