import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as api from '@opentelemetry/api';
import { JsonTraceSerializer } from '@opentelemetry/otlp-transformer';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
  type ReadableSpan,
} from '@opentelemetry/sdk-trace-base';
import { otlpJsonBody } from './otlp-json';

/** Finished spans of every shape the serializer meets (made by the SDK, not registered globally). */
function spans(): ReadableSpan[] {
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ 'service.name': 'spec "x"', 'host.cores': 2, 'x.flag': true }),
    spanProcessors: [new SimpleSpanProcessor(exporter)],
  });
  const tracer = provider.getTracer('nestbase');
  const other = provider.getTracer('other', '1.2.3');
  const remote = api.trace.setSpanContext(api.ROOT_CONTEXT, {
    traceId: '0af7651916cd43dd8448eb211c80319c',
    spanId: 'b7ad6b7169203331',
    traceFlags: 1,
    isRemote: true,
    traceState: api.createTraceState('vendor=opaque,other=1'),
  });
  const server = tracer.startSpan('POST /api/x', { kind: 1, attributes: { 'url.path': '/é\n"' } }, remote);
  const child = tracer.startSpan(
    'db INSERT',
    {
      kind: 2,
      attributes: {
        'db.query.text': 'INSERT INTO "t" VALUES (?)',
        int: 42,
        negative: -7,
        double: 0.25,
        bool: false,
        list: ['a', 'b'],
        numbers: [1, 2.5],
      },
      links: [{ context: server.spanContext(), attributes: { why: 'because' } }],
    },
    api.trace.setSpan(api.ROOT_CONTEXT, server),
  );
  child.addEvent('exception', { 'exception.message': 'boom' });
  child.setStatus({ code: api.SpanStatusCode.ERROR, message: 'it "failed"' });
  child.end();
  server.setAttribute('http.response.status_code', 500);
  server.end();
  const root = other.startSpan('job mail.send', { startTime: [1_700_000_000, 5] });
  root.end([1_700_000_001, 999_999_999]);
  return exporter.getFinishedSpans();
}

void describe('OTLP JSON bodies', () => {
  void it("are the OTLP exporter's own JSON, value for value", () => {
    const batch = spans();
    assert.equal(batch.length, 3);
    const theirs: unknown = JSON.parse(Buffer.from(JsonTraceSerializer.serializeRequest(batch) ?? []).toString());
    assert.deepEqual(JSON.parse(otlpJsonBody(batch)), theirs);
  });
});
