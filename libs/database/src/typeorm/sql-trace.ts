import { recordingContext, recordSpan, SPAN_KIND, tallyStatement, traceMinMs, type Attributes } from '@lib/core';

const verbs = new Map<string, string>();

/** The SQL verb of a statement (`SELECT`, `INSERT`…), for the span name; remembered per statement text. */
function verb(sql: string): string {
  let known = verbs.get(sql);
  if (known === undefined) {
    const match = /^\s*(?:WITH\b[\s\S]*?\)\s*)?([A-Za-z]+)/.exec(sql);
    known = match ? match[1].toUpperCase() : 'SQL';
    if (verbs.size >= 2000) {
      verbs.clear();
    }
    verbs.set(sql, known);
  }
  return known;
}

/**
 * `fn` (one statement) timed while tracing is on and the request is sampled; just `fn()` otherwise. Its span, a
 * `db <verb>` client span from its start to its end, is made once it is done, and only for a write, a statement
 * with `extra` attributes (`nestbase.db.read_worker`: a read worker thread ran it, the span lasting the round
 * trip: queue wait, the run, the rows' transfer) or a read that took NB_TRACE_MIN_MS or longer; every
 * statement is counted on the span it ran under (`nestbase.db.statements`, `nestbase.db.time_ms`), so quick reads
 * cost a tally instead of a span each (a span, exported, costs ~10 µs: more than most SQLite reads).
 */
export function tracedSql<T>(
  sql: string,
  fn: () => T,
  system: 'sqlite' | 'postgresql' = 'sqlite',
  extra?: Attributes,
): T {
  const context = recordingContext();
  if (context === undefined) {
    return fn();
  }
  const start = performance.now();
  const done = (error?: unknown) => {
    const end = performance.now();
    tallyStatement(context, end - start);
    const name = verb(sql);
    if (extra !== undefined || name !== 'SELECT' || end - start >= traceMinMs()) {
      const attributes = { 'db.system.name': system, 'db.query.text': sql, ...extra };
      recordSpan(context, `db ${name}`, SPAN_KIND.client, attributes, start, end, error);
    }
  };
  let result: T;
  try {
    result = fn();
  } catch (error) {
    done(error);
    throw error;
  }
  if (result instanceof Promise) {
    return result.then(
      (value: unknown) => (done(), value),
      (error: unknown) => {
        done(error);
        throw error;
      },
    ) as T;
  }
  done();
  return result;
}
