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

/**
 * Runs `fn` (and everything it starts, sync or async) in `context`; without a `trace` of its own it keeps the
 * running code's (a consumer span's context stays active under the request id its carrier brought).
 */
export function runInContext<T>(context: RequestContext, fn: () => T): T {
  const current = storage.getStore();
  const trace = context.trace ?? current?.trace;
  if (current?.requestId === context.requestId && current.trace === trace) {
    return fn(); // already there (an in-process event's handler runs in its publisher's context)
  }
  return storage.run(trace === context.trace ? context : { requestId: context.requestId, trace }, fn);
}

/** The OpenTelemetry context of the code running now (tracing on; opaque here). */
export function currentTrace(): unknown {
  return storage.getStore()?.trace;
}

/**
 * Runs `fn` with `trace` as its OpenTelemetry context, in the running request's context: tracing's context
 * manager keeps its context in this same AsyncLocalStorage (one store for both: see tracing.ts).
 */
export function runWithTrace<T>(trace: unknown, fn: () => T): T {
  const current = storage.getStore();
  if (current?.trace === trace) {
    return fn();
  }
  return storage.run({ requestId: current?.requestId ?? '', trace }, fn);
}
