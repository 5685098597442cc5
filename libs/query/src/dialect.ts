import { type Frag, raw, sql, joinFrags } from './sql-fragment';

/**
 * The SQL details that differ between databases. The compiler only builds SQL through this seam,
 * so a PostgreSQL implementation can be added beside `sqliteDialect`.
 */
export interface SqlDialect {
  readonly name: string;
  /** Double-quoted identifier with embedded quotes doubled. */
  quoteIdent(name: string): string;
  column(alias: string, column: string): Frag;
  /** A table source `"table" "alias"`. */
  table(name: string, alias: string): Frag;
  /** A one-row table source, the base of LEFT JOIN chains. */
  oneRow(alias: string): Frag;
  rowid(alias: string): Frag;
  random(): Frag;
  /** `left [NOT] LIKE right` with `\` as the escape character (ASCII case-insensitive). */
  like(left: Frag, right: Frag, negate: boolean): Frag;
  /** `'%' || x || '%'` */
  wrapLike(x: Frag): Frag;
  /** A table source yielding one row per element of a JSON array; `trusted` skips the guard for malformed values. */
  jsonEach(json: Frag, alias: string, trusted: boolean): Frag;
  jsonEachValue(alias: string): Frag;
  jsonArrayLength(json: Frag, trusted: boolean): Frag;
  /** Extracts a JSON path (bound as a parameter built by `jsonPath`); NULL for invalid JSON. */
  jsonExtract(json: Frag, path: Frag): Frag;
  jsonPath(parts: readonly string[]): string;
  /** TRUE when `value` is one of the elements of the JSON array `json`. */
  jsonArrayContains(json: Frag, value: Frag): Frag;
  lower(x: Frag): Frag;
  strftime(args: readonly Frag[]): Frag;
  /** Haversine distance in km. */
  geoDistance(lonA: Frag, latA: Frag, lonB: Frag, latB: Frag): Frag;
  /**
   * A true condition that lets the database stop a statement past its time limit, ANDed into every join of a
   * relation path (where one row can fan out to many). SQLite: `nb_tick()`, a function `libs/database`
   * registers on each connection; it throws once the running statement is past its deadline.
   */
  interruptCheck(): Frag;
  /** Converts a JS value to what the driver binds (booleans to 1/0, objects to JSON text, undefined to NULL). */
  toValue(value: unknown): unknown;
}

/** SQLITE_MAX_LIKE_PATTERN_LENGTH. */
const MAX_LIKE_PATTERN_BYTES = 50000;

function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

function guardedArray(json: Frag): Frag {
  return sql`(CASE WHEN json_valid(${json}) AND json_type(${json}) = 'array' THEN ${json} WHEN ${json} IS NULL OR ${json} = '' THEN '[]' ELSE json_array(${json}) END)`;
}

export const sqliteDialect: SqlDialect = {
  name: 'sqlite',
  quoteIdent,
  column: (alias, column) => raw(`${quoteIdent(alias)}.${quoteIdent(column)}`),
  table: (name, alias) => raw(`${quoteIdent(name)} ${quoteIdent(alias)}`),
  oneRow: (alias) => raw(`(SELECT 1) ${quoteIdent(alias)}`),
  rowid: (alias) => raw(`${quoteIdent(alias)}.rowid`),
  random: () => raw('RANDOM()'),
  // A pattern over SQLite's LIKE length limit (50000 bytes) would be an SQL error: it matches nothing instead.
  like: (left, right, negate) =>
    sql`(CASE WHEN length(CAST(${right} AS BLOB)) > ${raw(String(MAX_LIKE_PATTERN_BYTES))} THEN NULL ELSE ${left} ${raw(negate ? 'NOT LIKE' : 'LIKE')} ${right} ESCAPE '\\' END)`,
  wrapLike: (x) => sql`('%' || ${x} || '%')`,
  jsonEach: (json, alias, trusted) => sql`json_each(${trusted ? json : guardedArray(json)}) ${raw(quoteIdent(alias))}`,
  jsonEachValue: (alias) => raw(`${quoteIdent(alias)}.value`),
  jsonArrayLength: (json, trusted) => sql`json_array_length(${trusted ? json : guardedArray(json)})`,
  jsonExtract: (json, path) => sql`(CASE WHEN json_valid(${json}) THEN json_extract(${json}, ${path}) END)`,
  jsonPath: (parts) => '$' + parts.map((p) => (/^\d+$/.test(p) ? `[${p}]` : `."${p}"`)).join(''),
  jsonArrayContains: (json, value) =>
    sql`EXISTS (SELECT 1 FROM json_each(${guardedArray(json)}) WHERE json_each.value = ${value})`,
  lower: (x) => sql`LOWER(${x})`,
  interruptCheck: () => raw('nb_tick()'),
  strftime: (args) => sql`strftime(${joinFrags(args, ', ')})`,
  geoDistance: (lonA, latA, lonB, latB) =>
    sql`(6371 * acos(MIN(1, MAX(-1, cos(radians(${latA})) * cos(radians(${latB})) * cos(radians(${lonB}) - radians(${lonA})) + sin(radians(${latA})) * sin(radians(${latB}))))))`,
  toValue(value) {
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
    return JSON.stringify(value);
  },
};
