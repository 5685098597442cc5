import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace-base';

type ResultCallback = Parameters<SpanExporter['export']>[1];

/**
 * A span exporter that starts each export on the next turn of the event loop (`setImmediate`): the batch span
 * processor exports a full batch (512 spans, `OTEL_BSP_MAX_EXPORT_BATCH_SIZE`) from inside the `span.end()` that
 * filled it, so the request ending that span paid for serialising the whole batch before its answer went out
 * (a p99 spike every 512 spans). Same work, out of the request's tick.
 */
export class DeferredExporter implements SpanExporter {
  constructor(private readonly inner: SpanExporter) {}

  export(spans: ReadableSpan[], resultCallback: ResultCallback): void {
    setImmediate(() => this.inner.export(spans, resultCallback));
  }

  shutdown(): Promise<void> {
    return this.inner.shutdown();
  }

  forceFlush(): Promise<void> {
    return this.inner.forceFlush?.() ?? Promise.resolve();
  }
}
