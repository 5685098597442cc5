import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
  type ReadableSpan,
} from '@opentelemetry/sdk-trace-base';
import { BodyBuffers } from './deferred-exporter';
import { LocalSpan } from './local-span';
import { otlpTraceRequest } from './otlp-json';

type Serializer = { serializeRequest: (spans: ReadableSpan[]) => Uint8Array };
const serializerOf = (exporter: OTLPTraceExporter) =>
  (exporter as unknown as { _delegate: { _serializer: Serializer } })._delegate._serializer;

/** A few spans of every shape nestbase makes: SDK root and remote-parent spans, local children, odd values. */
function someSpans(): ReadableSpan[] {
  const memory = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(memory)] });
  const tracer = provider.getTracer('nestbase');
  const root = tracer.startSpan('GET /api/x', { kind: 1, attributes: { 'http.request.method': 'GET', n: 1.5 } });
  root.setAttribute('ok', true).setAttribute('list', ['a', 'b']).setAttribute('ünïcode', 'wörd "quoted"\n');
  root.setStatus({ code: 2, message: 'failed' });
  const sink = {
    processor: new SimpleSpanProcessor(memory),
    resource: (root as unknown as ReadableSpan).resource,
    scope: { name: 'nestbase' },
    valueLengthLimit: Infinity,
    minMs: 0,
  };
  new LocalSpan(sink, 'db INSERT', 2, root.spanContext(), root, { 'db.query.text': 'INSERT INTO "t"' }).end();
  root.end();
  const remote = { traceId: '0af7651916cd43dd8448eb211c80319c', spanId: 'b7ad6b7169203331', traceFlags: 1 };
  const context = { ...remote, isRemote: true };
  new LocalSpan(sink, 'receive x', 4, context, undefined, {}).end();
  return memory.getFinishedSpans();
}

void describe('OTLP JSON bodies', () => {
  void it("are the exporter's own JSON, value for value", () => {
    const spans = someSpans();
    const expected = JSON.parse(Buffer.from(serializerOf(new OTLPTraceExporter()).serializeRequest(spans)).toString());
    assert.deepEqual(JSON.parse(JSON.stringify(otlpTraceRequest(spans))), expected);
  });

  void it('are written into reused buffers once their export gave them back, non-ASCII too', () => {
    const spans = someSpans();
    const exporter = new OTLPTraceExporter();
    const expected = Buffer.from(serializerOf(exporter).serializeRequest(spans)).toString();
    const bodies = new BodyBuffers();
    bodies.serializeFor(exporter);
    const first = serializerOf(exporter).serializeRequest(spans);
    assert.equal(Buffer.from(first).toString(), expected);
    const lent = bodies.takeLent();
    assert.equal(lent.length, 1);
    const second = serializerOf(exporter).serializeRequest(spans); // the first is still lent: another buffer
    assert.notEqual(second.buffer, first.buffer);
    bodies.giveBack([...lent, ...bodies.takeLent()]);
    const third = serializerOf(exporter).serializeRequest(spans);
    assert.ok(third.buffer === first.buffer || third.buffer === second.buffer);
    assert.equal(Buffer.from(third).toString(), expected);
  });
});
