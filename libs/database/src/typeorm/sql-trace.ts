import { SPAN_KIND, traced, tracingOn } from '@lib/core';

/** The SQL verb of a statement (`SELECT`, `INSERT`…), for the span name. */
function verb(sql: string): string {
  const match = /^\s*(?:WITH\b[\s\S]*?\)\s*)?([A-Za-z]+)/.exec(sql);
  return match ? match[1].toUpperCase() : 'SQL';
}

/** `fn` (one statement) in a `db <verb>` client span while tracing is on; just `fn()` otherwise. */
export function tracedSql<T>(sql: string, fn: () => T, system: 'sqlite' | 'postgresql' = 'sqlite'): T {
  if (!tracingOn()) {
    return fn();
  }
  return traced(`db ${verb(sql)}`, SPAN_KIND.client, { 'db.system.name': system, 'db.query.text': sql }, fn);
}
