import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';

/**
 * What follows a request through the code it causes, in this process and (as a `ContextCarrier`) across
 * processes: its id, and while tracing is on the OpenTelemetry context of its span.
 */
export interface RequestContext {
  readonly requestId: string;
  /** The OpenTelemetry `Context` (tracing on), opaque here. */
  readonly trace?: unknown;
}

/** A request context in transit: on an event over Redis, in a job's data (plain JSON). */
export interface ContextCarrier {
  /** The request id. */
  rid?: string;
  /** W3C `traceparent` / `tracestate` (tracing on). */
  tp?: string;
  ts?: string;
}

export const REQUEST_ID_HEADER = 'x-request-id';

const storage = new AsyncLocalStorage<RequestContext>();
/** What a request id may be when taken from a client: a token of visible, unremarkable characters. */
const SANE_ID = /^[A-Za-z0-9._~:@+=/-]{1,128}$/;

/** `value` when it is a request id worth keeping (a header may repeat: the first value), else undefined. */
export function saneRequestId(value: unknown): string | undefined {
  const id = Array.isArray(value) ? (value[0] as unknown) : value;
  return typeof id === 'string' && SANE_ID.test(id) ? id : undefined;
}

/** A fresh request id (a UUID). */
export function newRequestId(): string {
  return randomUUID();
}

/** The context of the request whose code runs now, if any. */
export function currentContext(): RequestContext | undefined {
  return storage.getStore();
}

/** The id of the request whose code runs now ('' outside a request). */
export function currentRequestId(): string {
  return storage.getStore()?.requestId ?? '';
}

/** Runs `fn` (and everything it starts, sync or async) in `context`. */
export function runInContext<T>(context: RequestContext, fn: () => T): T {
  return storage.run(context, fn);
}
