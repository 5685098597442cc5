import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as api from '@opentelemetry/api';
import type { ObservabilityConfig } from '../../config/observability-env';
import { captureContext } from './propagation';
import { currentRequestId, runInContext, type ContextCarrier } from './request-context';
import {
  currentTraceparent,
  endSpan,
  SPAN_KIND,
  spanWanted,
  startSpan,
  startTracing,
  traceContextOf,
  withSpan,
  type Span,
} from './tracing';

// Tracing on in this test process (the console exporter: nothing is flushed, so nothing is printed); the default
// sampler (parent-based, always on), the W3C trace-context propagator the SDK registers.
const config = {
  tracing: true,
  tracesExporter: 'console',
  serviceName: 'spec',
  traceMinMs: 1,
  traceValueLengthLimit: Infinity,
} as ObservabilityConfig;
startTracing(config, 'spec');

const TRACE = '0af7651916cd43dd8448eb211c80319c';
const UNSAMPLED: ContextCarrier = { tp: `00-${TRACE}-b7ad6b7169203331-00` };
const SAMPLED: ContextCarrier = { tp: `00-${TRACE}-b7ad6b7169203331-01`, ts: 'vendor=opaque' };

/** What OpenTelemetry's own propagator writes for `span` (the bytes nestbase's injection must match). */
function propagated(span: Span): Record<string, string> {
  const headers: Record<string, string> = {};
  api.propagation.inject(api.trace.setSpan(api.context.active(), span), headers);
  return headers;
}

void describe('tracing', () => {
  void it('makes no child spans under an unsampled span, and passes its unsampled context on', () => {
    const server = startSpan('GET /x', SPAN_KIND.server, {}, UNSAMPLED);
    assert.ok(server && !server.isRecording());
    withSpan(server, () => {
      assert.equal(spanWanted(), false);
      assert.equal(startSpan('db SELECT', SPAN_KIND.client), undefined);
      // a carrier from here says "not sampled", so the next process doesn't sample on its own
      assert.match(captureContext('publish x')?.tp ?? '', new RegExp(`^00-${TRACE}-[0-9a-f]{16}-00$`));
    });
    endSpan(server);
  });

  void it('makes child spans under a sampled one (and roots where there is no span)', () => {
    assert.equal(spanWanted(), true);
    const root = startSpan('job', SPAN_KIND.internal);
    assert.ok(root?.isRecording());
    endSpan(root);
    const server = startSpan('GET /x', SPAN_KIND.server, {}, SAMPLED);
    assert.ok(server?.isRecording());
    withSpan(server, () => {
      assert.equal(spanWanted(), true);
      const child = startSpan('db SELECT', SPAN_KIND.client);
      assert.ok(child?.isRecording());
      assert.equal(child?.spanContext().traceId, TRACE);
      endSpan(child);
    });
    endSpan(server);
  });

  void it("writes traceparent and tracestate as OpenTelemetry's W3C propagator does", () => {
    for (const parent of [SAMPLED, UNSAMPLED]) {
      const span = startSpan('proxy records', SPAN_KIND.client, {}, parent);
      assert.ok(span);
      assert.deepEqual(
        { traceparent: currentTraceparent(span), ...(parent.ts ? { tracestate: parent.ts } : {}) },
        propagated(span),
      );
      assert.equal(
        withSpan(span, () => currentTraceparent()),
        currentTraceparent(span),
      );
      endSpan(span);
    }
    assert.equal(currentTraceparent(), '');
  });

  void it('keeps the request id and the trace context in one async context', async () => {
    const server = startSpan('GET /x', SPAN_KIND.server, {}, SAMPLED);
    const seen = await runInContext({ requestId: 'r1', trace: traceContextOf(server) }, async () => {
      await new Promise((resolve) => setImmediate(resolve));
      const consumer = startSpan('receive x', SPAN_KIND.consumer);
      const inner = await withSpan(consumer, async () => {
        await new Promise((resolve) => setImmediate(resolve));
        return [currentRequestId(), api.trace.getSpan(api.context.active())?.spanContext().traceId];
      });
      endSpan(consumer);
      // a carrier's request id doesn't drop the active span
      const carried = runInContext({ requestId: 'r2' }, () => api.trace.getSpan(api.context.active()));
      return [...inner, currentRequestId(), carried === server];
    });
    assert.deepEqual(seen, ['r1', TRACE, 'r1', true]);
    assert.equal(currentRequestId(), '');
    assert.equal(api.trace.getSpan(api.context.active()), undefined);
    endSpan(server);
  });
});
