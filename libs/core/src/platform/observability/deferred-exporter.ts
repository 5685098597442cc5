import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace-base';
import { otlpTraceRequest } from './otlp-json';

type ResultCallback = Parameters<SpanExporter['export']>[1];
type Serializer = { serializeRequest: (spans: ReadableSpan[]) => Uint8Array | undefined };

/**
 * A span exporter that starts each export on the next turn of the event loop (`setImmediate`): the batch span
 * processor exports a full batch (512 spans, `OTEL_BSP_MAX_EXPORT_BATCH_SIZE`) from inside the `span.end()` that
 * filled it, so the request ending that span paid for serialising the whole batch before its answer went out
 * (a p99 spike every 512 spans). Same work, out of the request's tick.
 *
 * With `bodies`, the OTLP exporter's JSON bodies are written into its reused buffers (see otlp-json.ts), each
 * lent until its export is done (sent, or given up after the exporter's retries).
 */
export class DeferredExporter implements SpanExporter {
  constructor(
    private readonly inner: SpanExporter,
    private readonly bodies?: BodyBuffers,
  ) {}

  export(spans: ReadableSpan[], resultCallback: ResultCallback): void {
    setImmediate(() => {
      // the body is written inside `export`; its result may come before `export` returns (the console's)
      const body: { lent?: Uint8Array[]; done: boolean } = { done: false };
      this.inner.export(spans, (result) => {
        body.done = true;
        this.bodies?.giveBack(body.lent ?? []);
        resultCallback(result);
      });
      body.lent = this.bodies?.takeLent() ?? [];
      if (body.done) {
        this.bodies?.giveBack(body.lent);
      }
    });
  }

  shutdown(): Promise<void> {
    return this.inner.shutdown();
  }

  forceFlush(): Promise<void> {
    return this.inner.forceFlush?.() ?? Promise.resolve();
  }
}

const encoder = new TextEncoder();
const POOLED = 4;

/** UTF-8 bodies in buffers reused from one export to the next. */
export class BodyBuffers {
  private readonly free: Uint8Array[] = [];
  private lent: Uint8Array[] = [];

  /** `json` as UTF-8, in a buffer lent until `giveBack` gets it (through `takeLent`). */
  encode(json: string): Uint8Array {
    let buffer = this.free.pop();
    if (!buffer || buffer.length < json.length) {
      buffer = new Uint8Array(Math.max(Math.ceil(json.length * 1.25), 64 * 1024));
    }
    const first = encoder.encodeInto(json, buffer);
    let written = first.written;
    if (first.read < json.length) {
      buffer = new Uint8Array(json.length * 3); // not all ASCII: the most UTF-8 can take
      written = encoder.encodeInto(json, buffer).written;
    }
    this.lent.push(buffer);
    return buffer.subarray(0, written);
  }

  /** The buffers lent since the last call. */
  takeLent(): Uint8Array[] {
    const lent = this.lent;
    this.lent = [];
    return lent;
  }

  giveBack(buffers: Uint8Array[]): void {
    for (const buffer of buffers) {
      if (this.free.length < POOLED) {
        this.free.push(buffer);
      }
    }
  }

  /**
   * Makes `exporter` (an OTLPTraceExporter, JSON) write its bodies here: its serializer is replaced in place (a
   * private field: if the exporter's shape ever differs, it keeps its own serializer).
   */
  serializeFor(exporter: SpanExporter): void {
    const delegate = (exporter as unknown as { _delegate?: { _serializer?: Serializer } })._delegate;
    if (delegate && typeof delegate._serializer?.serializeRequest === 'function') {
      delegate._serializer = {
        ...delegate._serializer,
        serializeRequest: (spans: ReadableSpan[]) => this.encode(JSON.stringify(otlpTraceRequest(spans))),
      };
    }
  }
}
