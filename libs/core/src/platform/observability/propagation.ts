import { currentContext, runInContext, type ContextCarrier } from './request-context';
import { endSpan, inSpan, injectTrace, SPAN_KIND, startSpan, tracingOn, type Attributes } from './tracing';

/**
 * The running request's context as a carrier for another process (an event over Redis, a job), with the trace
 * context of a producer span named `spanName` (tracing on); undefined outside a request and without tracing.
 */
export function captureContext(spanName: string, attributes?: Attributes): ContextCarrier | undefined {
  const rid = currentContext()?.requestId;
  if (!tracingOn()) {
    return rid ? { rid } : undefined;
  }
  // unsampled (no span): the active context goes on as it is, its `traceparent` saying so
  const span = startSpan(spanName, SPAN_KIND.producer, attributes);
  const carrier: ContextCarrier = rid ? { rid } : {};
  injectTrace(carrier, span);
  endSpan(span);
  return carrier;
}

/**
 * Runs `fn` in the context a carrier brought (its request id in the logs; with tracing, inside a consumer span
 * named `spanName`, child of the producer), the span ending when `fn` returns or settles.
 */
export function runFromCarrier<T>(
  carrier: ContextCarrier | undefined,
  spanName: string,
  attributes: Attributes,
  fn: () => T,
): T {
  if (!carrier) {
    return fn();
  }
  const run = carrier.rid ? () => runInContext({ requestId: carrier.rid as string }, fn) : fn;
  const span = carrier.tp ? startSpan(spanName, SPAN_KIND.consumer, attributes, carrier) : undefined;
  return span ? inSpan(span, run) : run();
}

/** Separates a carrier line (`@{json}\n`) from the rest of a message; the message as-is without one. */
export function splitCarrier(message: string): { carrier: ContextCarrier | undefined; body: string } {
  if (message.charCodeAt(0) !== 64 /* @ */) {
    return { carrier: undefined, body: message };
  }
  const end = message.indexOf('\n');
  try {
    return { carrier: JSON.parse(message.slice(1, end)) as ContextCarrier, body: message.slice(end + 1) };
  } catch {
    return { carrier: undefined, body: message.slice(end + 1) };
  }
}

/** `body` with the carrier line in front (JSON never starts with `@`, so old readers' messages stay apart). */
export function joinCarrier(carrier: ContextCarrier | undefined, body: string): string {
  return carrier ? `@${JSON.stringify(carrier)}\n${body}` : body;
}
