import type * as OtelApi from '@opentelemetry/api';
import type { ObservabilityConfig } from '../../config/observability-env';
import type { ContextCarrier } from './request-context';
import { BodyBuffers, DeferredExporter } from './deferred-exporter';
import { LocalSpan, type LocalSpanSink } from './local-span';
import { RequestContextManager } from './trace-context-manager';

/**
 * OpenTelemetry traces, off unless `OTEL_*` turns them on (see ObservabilityConfig): then the trace SDK
 * (`@opentelemetry/sdk-trace-node`) is loaded (never before), spans are batched to the OTLP/HTTP exporter (JSON) or
 * the console, and context travels as W3C
 * `traceparent` over HTTP, Redis events and jobs. No auto-instrumentation: the spans are nestbase's own (the
 * gateway's proxy, each service's request, SQL, event publish and receipt, realtime delivery, jobs).
 * Everything here is a no-op while tracing is off.
 */

type Api = typeof OtelApi;
export type Span = OtelApi.Span;
export type Attributes = OtelApi.Attributes;

/** OpenTelemetry's SpanKind values (the enum lives in the API module, which isn't loaded while off). */
export const SPAN_KIND = { internal: 0, server: 1, client: 2, producer: 3, consumer: 4 } as const;
export type Kind = (typeof SPAN_KIND)[keyof typeof SPAN_KIND];

let api: Api | undefined;
let tracer: OtelApi.Tracer | undefined;
let sink: LocalSpanSink | undefined;
interface TracingState {
  readonly api: Api;
  readonly tracer: OtelApi.Tracer;
  readonly sink: LocalSpanSink;
}
let state: TracingState | undefined;
let shutdown: (() => Promise<void>) | undefined;
let flush: (() => Promise<void>) | undefined;
/** Statements counted on a span rather than spanned (statement-spans.ts), set as attributes when it ends. */
export const statementTallies = new WeakMap<Span, { statements: number; ms: number }>();

/** True once `startTracing` turned traces on in this process. */
export function tracingOn(): boolean {
  return tracer !== undefined;
}

/** The loaded API, the tracer and the local spans' sink while tracing is on (for statement-spans.ts). */
export function tracingState(): TracingState | undefined {
  return state;
}

/** Loads and starts the SDK once per process (`service`: the default `service.name` suffix). */
export function startTracing(config: ObservabilityConfig, service: string): void {
  if (tracer || !config.tracing) {
    return;
  }
  /* eslint-disable @typescript-eslint/no-require-imports -- loaded only when tracing is on */
  const { NodeTracerProvider } =
    require('@opentelemetry/sdk-trace-node') as typeof import('@opentelemetry/sdk-trace-node');
  const { BatchSpanProcessor, ConsoleSpanExporter } =
    require('@opentelemetry/sdk-trace-base') as typeof import('@opentelemetry/sdk-trace-base');
  const resources = require('@opentelemetry/resources') as typeof import('@opentelemetry/resources');
  const { OTLPTraceExporter } =
    require('@opentelemetry/exporter-trace-otlp-http') as typeof import('@opentelemetry/exporter-trace-otlp-http');
  api = require('@opentelemetry/api') as Api;
  /* eslint-enable @typescript-eslint/no-require-imports */
  const bodies = new BodyBuffers();
  const otlp = config.tracesExporter === 'console' ? undefined : new OTLPTraceExporter();
  if (otlp) {
    bodies.serializeFor(otlp);
  }
  const exporter = new DeferredExporter(otlp ?? new ConsoleSpanExporter(), bodies);
  // OTEL_RESOURCE_ATTRIBUTES as the SDK reads them; the service name last (OTEL_SERVICE_NAME or nestbase-<service>)
  const resource = resources
    .defaultResource()
    .merge(resources.detectResources({ detectors: [resources.envDetector] }))
    .merge(
      resources.resourceFromAttributes({
        'service.name': config.serviceName || (service === 'nestbase' ? service : `nestbase-${service}`),
      }),
    );
  // OTEL_TRACES_SAMPLER and OTEL_BSP_* are read by the provider and the batch processor themselves
  const processor = new BatchSpanProcessor(exporter);
  const provider = new NodeTracerProvider({ resource, spanProcessors: [processor] });
  provider.register({ contextManager: new RequestContextManager(api.ROOT_CONTEXT) });
  tracer = api.trace.getTracer('nestbase');
  sink = {
    processor,
    resource,
    scope: { name: 'nestbase', version: undefined, schemaUrl: undefined },
    valueLengthLimit: config.traceValueLengthLimit,
    minMs: config.traceMinMs,
  };
  state = { api, tracer, sink };
  shutdown = () => provider.shutdown();
  flush = () => provider.forceFlush();
}

/** Exports the spans still held (an app closing: shutdown or restart). */
export async function flushTracing(): Promise<void> {
  await flush?.().catch(() => undefined);
}

/** Exports the spans still held and stops the SDK (process exit). */
export async function stopTracing(): Promise<void> {
  await shutdown?.().catch(() => undefined);
}

/**
 * Whether a span started now would be recorded: tracing is on and the active span (if any) is sampled. A child
 * of an unsampled span is never made (the parent-based samplers, the default, would drop it anyway), so an
 * unsampled request costs its server span and its context, not a span per statement.
 */
export function spanWanted(): boolean {
  return api !== undefined && sampled(api, api.context.active());
}

function sampled(otel: Api, context: OtelApi.Context): boolean {
  const parent = otel.trace.getSpanContext(context);
  return parent === undefined || (parent.traceFlags & 1) === 1;
}

/**
 * Starts a span, child of the active context or of `parent` (a carrier from another process); undefined while
 * tracing is off, and under an unsampled active span (see spanWanted). A root, or a child of another process's
 * span, is the SDK's (its sampler decides); a child of a sampled span here is a LocalSpan (`deferred`: kept only
 * if it lasts NB_TRACE_MIN_MS or something beneath it is kept, see LocalSpan).
 */
export function startSpan(
  name: string,
  kind: Kind,
  attributes?: Attributes,
  parent?: ContextCarrier,
  deferred = false,
): Span | undefined {
  if (!tracer || !api || !sink) {
    return undefined;
  }
  if (parent) {
    return tracer.startSpan(name, { kind, attributes }, extract(api, parent));
  }
  const context = api.context.active();
  const parentSpan = api.trace.getSpan(context);
  if (!parentSpan) {
    return tracer.startSpan(name, { kind, attributes }, context);
  }
  const parentContext = parentSpan.spanContext();
  if ((parentContext.traceFlags & 1) !== 1 || !api.trace.isSpanContextValid(parentContext)) {
    return undefined;
  }
  return new LocalSpan(sink, name, kind, parentContext, parentSpan, attributes, deferred);
}

/**
 * Starts a span in this process, child of `parent` (not of the active context: no context entered to make it);
 * `deferred` as in startSpan. Undefined under an unsampled parent.
 */
export function startChildSpan(
  parent: Span,
  name: string,
  kind: Kind,
  attributes?: Attributes,
  deferred = false,
): Span | undefined {
  const context = parent.spanContext();
  return sink && (context.traceFlags & 1) === 1
    ? new LocalSpan(sink, name, kind, context, parent, attributes, deferred)
    : undefined;
}

/** Runs `fn` with `span` as the active span (its children and carriers descend from it). */
export function withSpan<T>(span: Span | undefined, fn: () => T): T {
  if (!span || !api) {
    return fn();
  }
  return api.context.with(api.trace.setSpan(api.context.active(), span), fn);
}

/** The OpenTelemetry context with `span` active, for a RequestContext's `trace` (undefined: no span). */
export function traceContextOf(span: Span | undefined): unknown {
  return span && api ? api.trace.setSpan(api.context.active(), span) : undefined;
}

/** Ends `span`, marking it failed when `error` is given or `status` is a server error. */
export function endSpan(span: Span | undefined, status?: number, error?: unknown): void {
  if (!span) {
    return;
  }
  const tally = statementTallies.get(span);
  if (tally) {
    span.setAttribute('nestbase.db.statements', tally.statements);
    span.setAttribute('nestbase.db.time_ms', Math.round(tally.ms * 1000) / 1000);
  }
  if (status !== undefined) {
    span.setAttribute('http.response.status_code', status);
  }
  if (error !== undefined || (status !== undefined && status >= 500)) {
    span.setStatus({ code: 2, message: error instanceof Error ? error.message : undefined });
  }
  span.end();
}

/**
 * `fn` in a span of its own (sync or async), ended when it returns or settles. `leaf`: `fn` starts no spans nor
 * carriers (an SQL statement), so the span isn't made the active one (no context to enter).
 */
export function traced<T>(name: string, kind: Kind, attributes: Attributes, fn: () => T, leaf = false): T {
  const span = startSpan(name, kind, attributes);
  return span ? inSpan(span, fn, !leaf) : fn();
}

/** `fn` (sync or async) with `span` active (unless `activate` is false), the span ended when `fn` returns or settles. */
export function inSpan<T>(span: Span, fn: () => T, activate = true): T {
  try {
    const result = activate ? withSpan(span, fn) : fn();
    if (result instanceof Promise) {
      return result.then(
        (value: unknown) => (endSpan(span), value),
        (error: unknown) => {
          endSpan(span, undefined, error);
          throw error;
        },
      ) as T;
    }
    endSpan(span);
    return result;
  } catch (error) {
    endSpan(span, undefined, error);
    throw error;
  }
}

/**
 * The trace context of `span` (default: the active span) as W3C `traceparent`/`tracestate` into `carrier` (no-op
 * while off or without a valid span). Written here rather than through the propagation API: the same bytes as
 * the W3C trace-context propagator (the only one the SDK registers: nestbase sets no baggage), without entering
 * a context to inject a span that isn't the active one.
 */
export function injectTrace(carrier: ContextCarrier, span?: Span): void {
  if (!api) {
    return;
  }
  const context = span ? span.spanContext() : api.trace.getSpanContext(api.context.active());
  if (!context || !api.trace.isSpanContextValid(context)) {
    return;
  }
  carrier.tp = `00-${context.traceId}-${context.spanId}-0${Number(context.traceFlags || 0).toString(16)}`;
  const state = context.traceState?.serialize();
  if (state) {
    carrier.ts = state;
  }
}

/** The `traceparent` header value of `span` (default: the active span; '' while off). */
export function currentTraceparent(span?: Span): string {
  const carrier: ContextCarrier = {};
  injectTrace(carrier, span);
  return carrier.tp ?? '';
}

function extract(otel: Api, carrier: ContextCarrier): OtelApi.Context {
  const headers: Record<string, string> = {};
  if (carrier.tp) {
    headers.traceparent = carrier.tp;
  }
  if (carrier.ts) {
    headers.tracestate = carrier.ts;
  }
  return otel.propagation.extract(otel.context.active(), headers);
}
