import { SPAN_KIND, spanWanted, traced, type Attributes } from '@lib/core';

/** The SQL verb of a statement (`SELECT`, `INSERT`…), for the span name. */
function verb(sql: string): string {
  const match = /^\s*(?:WITH\b[\s\S]*?\)\s*)?([A-Za-z]+)/.exec(sql);
  return match ? match[1].toUpperCase() : 'SQL';
}

/**
 * `fn` (one statement) in a `db <verb>` client span while tracing is on and the request is sampled; just
 * `fn()` otherwise. `extra` attributes: `nestbase.db.read_worker` for a statement that a read worker thread ran
 * (its span is made here, in the request's context, and lasts the round trip: queue wait, the run, the rows'
 * transfer).
 */
export function tracedSql<T>(
  sql: string,
  fn: () => T,
  system: 'sqlite' | 'postgresql' = 'sqlite',
  extra?: Attributes,
): T {
  if (!spanWanted()) {
    return fn();
  }
  const attributes = { 'db.system.name': system, 'db.query.text': sql, ...extra };
  // a leaf: a statement starts no spans, so its span isn't entered as the active context
  return traced(`db ${verb(sql)}`, SPAN_KIND.client, attributes, fn, true);
}
