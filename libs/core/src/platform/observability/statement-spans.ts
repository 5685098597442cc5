import type * as OtelApi from '@opentelemetry/api';
import { LocalSpan } from './local-span';
import { statementTallies, tracingState, type Attributes, type Kind } from './tracing';

/**
 * Spans made after the fact, for work whose span is kept only if it proves worth it (an SQL read shorter than
 * NB_TRACE_MIN_MS is counted on the span it ran under instead: see tracedSql in libs/database).
 */

/** NB_TRACE_MIN_MS (see ObservabilityConfig.traceMinMs); Infinity while tracing is off. */
export function traceMinMs(): number {
  return tracingState()?.sink.minMs ?? Infinity;
}

/**
 * The active context while a span started in it would be recorded (tracing on, the active span sampled or none),
 * for `recordSpan` and `tallyStatement` once the work is done; undefined otherwise.
 */
export function recordingContext(): unknown {
  const state = tracingState();
  if (!state) {
    return undefined;
  }
  const context = state.api.context.active();
  const parent = state.api.trace.getSpanContext(context);
  return parent === undefined || (parent.traceFlags & 1) === 1 ? context : undefined;
}

/**
 * A span of work already done, child of `context` (from `recordingContext`), from `start` to `end`
 * (`performance.now()` times), failed when `error` is given.
 */
export function recordSpan(
  context: unknown,
  name: string,
  kind: Kind,
  attributes: Attributes,
  start: number,
  end: number,
  error?: unknown,
): void {
  const state = tracingState();
  if (!state) {
    return;
  }
  const parent = state.api.trace.getSpan(context as OtelApi.Context);
  const span = parent
    ? new LocalSpan(state.sink, name, kind, parent.spanContext(), parent, attributes, false, start)
    : state.tracer.startSpan(name, { kind, attributes, startTime: start }, context as OtelApi.Context);
  if (error !== undefined) {
    span.setStatus({ code: 2, message: error instanceof Error ? error.message : undefined });
  }
  span.end(end);
}

/** One statement of `ms` run under the span of `context` (if any): that span's `nestbase.db.*` totals. */
export function tallyStatement(context: unknown, ms: number): void {
  const span = tracingState()?.api.trace.getSpan(context as OtelApi.Context);
  if (!span) {
    return;
  }
  const tally = statementTallies.get(span);
  if (tally) {
    tally.statements++;
    tally.ms += ms;
  } else {
    statementTallies.set(span, { statements: 1, ms });
  }
}
