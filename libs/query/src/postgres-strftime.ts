import { invalidFilter } from './errors';
import { type Frag, joinFrags, param, raw, sql } from './sql-fragment';

/** SQLite's strftime conversions as PostgreSQL expressions of the timestamp `t` (UTC, without time zone). */
const CONVERSIONS: Record<string, (t: Frag) => Frag> = {
  d: (t) => sql`to_char(${t}, 'DD')`,
  e: (t) => sql`lpad(to_char(${t}, 'FMDD'), 2)`,
  f: (t) => sql`to_char(${t}, 'SS.MS')`,
  F: (t) => sql`to_char(${t}, 'YYYY-MM-DD')`,
  G: (t) => sql`to_char(${t}, 'IYYY')`,
  g: (t) => sql`to_char(${t}, 'IY')`,
  H: (t) => sql`to_char(${t}, 'HH24')`,
  I: (t) => sql`to_char(${t}, 'HH12')`,
  j: (t) => sql`to_char(${t}, 'DDD')`,
  k: (t) => sql`lpad(to_char(${t}, 'FMHH24'), 2)`,
  l: (t) => sql`lpad(to_char(${t}, 'FMHH12'), 2)`,
  m: (t) => sql`to_char(${t}, 'MM')`,
  M: (t) => sql`to_char(${t}, 'MI')`,
  p: (t) => sql`to_char(${t}, 'AM')`,
  P: (t) => sql`to_char(${t}, 'am')`,
  R: (t) => sql`to_char(${t}, 'HH24:MI')`,
  s: (t) => sql`floor(extract(epoch FROM ${t}))::bigint::text`,
  S: (t) => sql`to_char(${t}, 'SS')`,
  T: (t) => sql`to_char(${t}, 'HH24:MI:SS')`,
  u: (t) => sql`to_char(${t}, 'ID')`,
  V: (t) => sql`to_char(${t}, 'IW')`,
  w: (t) => sql`extract(dow FROM ${t})::int::text`,
  Y: (t) => sql`to_char(${t}, 'YYYY')`,
};

/** Conversions SQLite has that are not written for PostgreSQL: a 400 that says so. */
const UNSUPPORTED = new Set(['J', 'U', 'W']);

/**
 * `strftime(format, t)` for PostgreSQL: the format (a literal of the expression) is compiled here; its literal
 * pieces are bound, its conversions become `to_char` calls. NULL when the time value is invalid, like SQLite.
 */
export function postgresStrftime(format: string, time: Frag): Frag {
  const parts: Frag[] = [];
  let literal = '';
  const flush = (): void => {
    if (literal !== '') {
      const value = literal;
      parts.push(sql`(${param(() => value)}::text)`);
      literal = '';
    }
  };
  const t = raw('"__t".t');
  for (let i = 0; i < format.length; i++) {
    if (format[i] !== '%') {
      literal += format[i];
      continue;
    }
    const c = format[++i] ?? '';
    if (c === '%') {
      literal += '%';
    } else if (UNSUPPORTED.has(c)) {
      throw invalidFilter(`strftime() %${c} is supported only on SQLite`);
    } else if (Object.prototype.hasOwnProperty.call(CONVERSIONS, c)) {
      flush();
      parts.push(CONVERSIONS[c](t));
    } else {
      return raw('NULL::text'); // SQLite: an unknown conversion makes the result NULL
    }
  }
  flush();
  const body = parts.length > 0 ? joinFrags(parts, ' || ') : raw("''");
  return sql`(SELECT CASE WHEN "__t".t IS NULL THEN NULL ELSE ${body} END FROM (SELECT ${time} AS t) "__t")`;
}
