import type * as OtelApi from '@opentelemetry/api';
import type { ReadableSpan, SpanProcessor } from '@opentelemetry/sdk-trace-base';

/** Where local spans go, and the limits they keep (set once when tracing starts). */
export interface LocalSpanSink {
  readonly processor: SpanProcessor;
  readonly resource: ReadableSpan['resource'];
  readonly scope: ReadableSpan['instrumentationScope'];
  /** OTEL_SPAN_ATTRIBUTE_VALUE_LENGTH_LIMIT (Infinity: none). */
  readonly valueLengthLimit: number;
  /** NB_TRACE_MIN_MS: a deferred span shorter than this, with nothing recorded beneath it, is left out. */
  readonly minMs: number;
}

const NO_LINKS: OtelApi.Link[] = [];
const NO_EVENTS: ReadableSpan['events'] = [];

/**
 * A span in this process under a sampled parent: its sampling was decided once, at the root (every sampler the
 * SDK installs keeps a sampled parent's local children), so it skips the SDK tracer (sampler, attribute
 * sanitising, span metrics) and is handed to the batch processor as it is when it ends.
 *
 * `deferred`: a span that is recorded only if it lasts NB_TRACE_MIN_MS or a span beneath it is recorded (an
 * in-process event's publish and receipt: with a subscriber that does nothing here, they'd be two spans a write
 * saying nothing). Its ids exist from the start, so children name it as their parent either way.
 */
export class LocalSpan implements OtelApi.Span, ReadableSpan {
  readonly parentSpanContext: OtelApi.SpanContext;
  readonly kind: OtelApi.SpanKind;
  readonly attributes: OtelApi.Attributes;
  readonly links = NO_LINKS;
  readonly events = NO_EVENTS;
  readonly droppedAttributesCount = 0;
  readonly droppedEventsCount = 0;
  readonly droppedLinksCount = 0;
  status: OtelApi.SpanStatus = { code: 0 };
  startTime: OtelApi.HrTime = [0, 0];
  endTime: OtelApi.HrTime = [0, 0];
  duration: OtelApi.HrTime = [0, 0];
  ended = false;
  private readonly context: OtelApi.SpanContext;
  private readonly startMs: number;
  private needed: boolean;
  private recorded = false;

  constructor(
    private readonly sink: LocalSpanSink,
    public name: string,
    kind: number,
    parent: OtelApi.SpanContext,
    private readonly parentSpan: OtelApi.Span | undefined,
    attributes: OtelApi.Attributes | undefined,
    deferred = false,
    startMs = performance.now(),
  ) {
    this.kind = kind;
    this.parentSpanContext = parent;
    this.context = { traceId: parent.traceId, spanId: newSpanId(), traceFlags: parent.traceFlags };
    if (parent.traceState) {
      this.context.traceState = parent.traceState;
    }
    this.attributes = {};
    if (attributes) {
      this.setAttributes(attributes);
    }
    this.startMs = startMs;
    this.needed = !deferred;
  }

  get resource(): ReadableSpan['resource'] {
    return this.sink.resource;
  }

  get instrumentationScope(): ReadableSpan['instrumentationScope'] {
    return this.sink.scope;
  }

  spanContext(): OtelApi.SpanContext {
    return this.context;
  }

  setAttribute(key: string, value: OtelApi.AttributeValue | undefined): this {
    if (!this.ended && value !== undefined && value !== null) {
      const limit = this.sink.valueLengthLimit;
      this.attributes[key] = typeof value === 'string' && value.length > limit ? value.slice(0, limit) : value;
    }
    return this;
  }

  setAttributes(attributes: OtelApi.Attributes): this {
    for (const key in attributes) {
      this.setAttribute(key, attributes[key]);
    }
    return this;
  }

  addEvent(): this {
    return this; // nestbase records no span events
  }

  addLink(): this {
    return this;
  }

  addLinks(): this {
    return this;
  }

  setStatus(status: OtelApi.SpanStatus): this {
    const code: number = status.code; // 0 unset, 1 ok, 2 error
    if (!this.ended && code !== 0) {
      this.status = code === 2 ? { code: 2, message: status.message } : { code: status.code };
    }
    return this;
  }

  updateName(name: string): this {
    if (!this.ended) {
      this.name = name;
    }
    return this;
  }

  isRecording(): boolean {
    return !this.ended;
  }

  recordException(): void {
    // nestbase marks a failed span by its status
  }

  /** Ends the span (`endMs`: a `performance.now()` time, default now); recorded now unless deferred and short. */
  end(endMs?: OtelApi.TimeInput): void {
    if (this.ended) {
      return;
    }
    const end = typeof endMs === 'number' ? endMs : performance.now();
    const offset = Date.now() - performance.now(); // epoch ms at performance time 0, as the SDK's spans take it
    this.startTime = hrTime(offset + this.startMs);
    this.endTime = hrTime(offset + end);
    this.duration = hrTime(end - this.startMs);
    this.ended = true;
    if (this.needed || end - this.startMs >= this.sink.minMs) {
      this.record();
    }
  }

  /** A span beneath this one was recorded: this one is kept too (now, or when it ends). */
  need(): void {
    this.needed = true;
    if (this.ended) {
      this.record();
    }
  }

  private record(): void {
    if (this.recorded) {
      return;
    }
    this.recorded = true;
    this.sink.processor.onEnd(this);
    if (this.parentSpan instanceof LocalSpan) {
      this.parentSpan.need();
    }
  }
}

/** Milliseconds as OpenTelemetry's `[seconds, nanoseconds]`. */
function hrTime(ms: number): OtelApi.HrTime {
  const seconds = Math.floor(ms / 1000);
  const nanos = Math.round((ms - seconds * 1000) * 1e6);
  return nanos >= 1e9 ? [seconds + 1, nanos - 1e9] : [seconds, nanos];
}

/** 8 random bytes as 16 hex digits, never all zero (W3C: an invalid id). */
function newSpanId(): string {
  const high = (Math.random() * 0x100000000) >>> 0;
  const low = (Math.random() * 0x100000000) >>> 0 || 1;
  return high.toString(16).padStart(8, '0') + low.toString(16).padStart(8, '0');
}
