import type { Binder, Frag } from './sql-fragment';

/**
 * What a value expression holds, so a dialect can compare it with SQLite's rules (PocketBase's database): its
 * storage class and, for a bare column, its affinity (SQLite converts the other operand of a comparison to it).
 * `text` / `number` / `bool` / `int`: native SQL values (`bool`: a boolean column, 0/1 in SQLite). `jsonText`:
 * a column holding JSON (SQLite: its text). `json`: one value extracted from JSON (json_extract, json_each).
 * `dyn`: a bound JS value of any type (request data, literals, macros). `null`: the NULL literal.
 */
export type ValueType = 'text' | 'number' | 'bool' | 'int' | 'jsonText' | 'json' | 'dyn' | 'null';

/** An expression with its value type; `affinity` only for a bare column reference. */
export interface Typed {
  expr: Frag;
  vtype: ValueType;
  affinity?: 'text' | 'numeric';
}

/** How a bound value is used: any JS value (`dyn`), a text, a JSON array text (json_each input) or a boolean. */
export type BindKind = 'dyn' | 'text' | 'jsonArray' | 'bool';

/** Operators a dialect renders between two typed operands (`IS` / `IS NOT`: NULL-safe equality). */
export type SqlOperator = '=' | '!=' | 'IS' | 'IS NOT' | '>' | '>=' | '<' | '<=';

/**
 * The SQL details that differ between databases. The compiler only builds SQL through this seam:
 * `sqliteDialect` (sqlite-dialect.ts) and `postgresDialect` (postgres-dialect.ts).
 */
export interface SqlDialect {
  readonly name: 'sqlite' | 'postgres';
  /** Double-quoted identifier with embedded quotes doubled: the one quoting function of the dialect. */
  quoteIdent(name: string): string;
  column(alias: string, column: string): Frag;
  /** A table source `"table" "alias"`. */
  table(name: string, alias: string): Frag;
  /** A one-row table source, the base of LEFT JOIN chains. */
  oneRow(alias: string): Frag;
  /** The row-order sort (`@rowid`); throws a 400 where the database has none. */
  rowid(alias: string): Frag;
  random(): Frag;
  /** A condition that is always true (join conditions without a test). */
  alwaysTrue(): Frag;
  /** `NOT COALESCE(cond, false)`: true when `cond` is false or NULL. */
  notTrue(cond: Frag): Frag;
  /** A stored bool column is true. */
  isTrue(column: Frag): Frag;
  /** A bound value: `?` with whatever the database needs around it. */
  bind(binder: Binder, kind: BindKind): Typed;
  /** `a <op> b` with SQLite's comparison rules (affinity, storage-class order, BINARY collation). */
  compare(a: Typed, op: SqlOperator, b: Typed): Frag;
  /** `x IS NULL` / `x IS NOT NULL`. */
  isNull(x: Typed, negate: boolean): Frag;
  /** `COALESCE(x, '')` (a value without affinity). */
  coalesceEmpty(x: Typed): Typed;
  /** The literal ''. */
  emptyText(): Typed;
  /** The bool literals (SQLite: 1 / 0) and NULL. */
  boolLiteral(value: boolean): Typed;
  nullLiteral(): Typed;
  /** `left [NOT] LIKE pattern` with `\` as the escape character (ASCII case-insensitive, as SQLite's LIKE). */
  like(left: Typed, pattern: Frag, negate: boolean): Frag;
  /** `'%' || x || '%'` as text. */
  wrapLike(x: Typed): Frag;
  /** A table source yielding one row per element of a JSON array; `trusted` skips the guard for malformed values. */
  jsonEach(json: Frag, alias: string, trusted: boolean): Frag;
  jsonEachValue(alias: string): Typed;
  jsonArrayLength(json: Frag, trusted: boolean): Typed;
  /** Extracts a JSON path of `\w+` parts; NULL for invalid JSON. */
  jsonExtract(json: Frag, parts: readonly string[]): Typed;
  /** TRUE when `value` (a text column) is one of the elements of the JSON array `json`. */
  jsonArrayContains(json: Frag, value: Frag): Frag;
  lower(x: Typed): Typed;
  /** `strftime(format, time?, modifiers…)`: the format is the literal text of the expression. */
  strftime(format: string, bindFormat: Typed, args: readonly Typed[]): Typed;
  /** Haversine distance in km. */
  geoDistance(lonA: Typed, latA: Typed, lonB: Typed, latB: Typed): Typed;
  /** `@request.body.f:changed`: `isSet` (bound bool) and the submitted value differs from the column (IS NOT). */
  changed(isSet: Typed, value: Typed, column: Typed): Typed;
  /** One ORDER BY term (SQLite's order: NULLs first, numbers before texts, texts by code point). */
  orderBy(x: Typed, desc: boolean): Frag;
  /** A scalar subquery `(SELECT x FROM …)` keeps x's type (SQLite also keeps a column's affinity). */
  subquery(x: Typed, from: Frag): Typed;
  /**
   * A true condition that lets the database stop a statement past its time limit, ANDed into every join of a
   * relation path (where one row can fan out to many). SQLite: `nb_tick()`, a function `libs/database`
   * registers on each connection; it throws once the running statement is past its deadline.
   */
  interruptCheck(): Frag;
  /** Converts a value computed by a binder into what the driver binds. */
  toValue(value: unknown): unknown;
}

/** Double-quoted identifier with embedded quotes doubled (both dialects quote identifiers the same way). */
export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** A JS value as SQLite holds it: booleans as 1/0, objects as JSON text, dates as text, undefined as NULL. */
export function sqliteValue(value: unknown): string | number | bigint | null {
  if (value === undefined || value === null) {
    return null;
  }
  if (typeof value === 'boolean') {
    return value ? 1 : 0;
  }
  if (typeof value === 'number' || typeof value === 'string' || typeof value === 'bigint') {
    return value;
  }
  if (value instanceof Date) {
    return value.toISOString().replace('T', ' ');
  }
  return JSON.stringify(value) ?? null;
}
