import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ReadableSpan, SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { LocalSpan, type LocalSpanSink } from './local-span';

const PARENT = { traceId: '0af7651916cd43dd8448eb211c80319c', spanId: 'b7ad6b7169203331', traceFlags: 1 };

/** A sink whose processor keeps what it is handed (the real batch processor runs in the e2e trace tests). */
function sink(minMs: number, valueLengthLimit = Infinity): LocalSpanSink & { ended: ReadableSpan[] } {
  const ended: ReadableSpan[] = [];
  const processor = { onEnd: (span: ReadableSpan) => ended.push(span) } as unknown as SpanProcessor;
  return {
    processor,
    resource: {} as LocalSpanSink['resource'],
    scope: { name: 'spec' },
    valueLengthLimit,
    minMs,
    ended,
  };
}

void describe('LocalSpan', () => {
  void it('is recorded when it ends, a child of its parent, with its times and attributes', () => {
    const to = sink(1000);
    const span = new LocalSpan(to, 'db INSERT', 2, PARENT, undefined, { 'db.query.text': 'INSERT' }, false, 1000);
    span.setAttribute('n', 1).setStatus({ code: 2, message: 'failed' });
    assert.equal(to.ended.length, 0);
    span.end(1002.5);
    span.end(); // once only
    assert.equal(to.ended.length, 1);
    const [done] = to.ended;
    assert.equal(done.spanContext().traceId, PARENT.traceId);
    assert.match(done.spanContext().spanId, /^[0-9a-f]{16}$/);
    assert.equal(done.parentSpanContext?.spanId, PARENT.spanId);
    assert.deepEqual(done.duration, [0, 2_500_000]);
    assert.deepEqual(done.attributes, { 'db.query.text': 'INSERT', n: 1 });
    assert.deepEqual(done.status, { code: 2, message: 'failed' });
    assert.ok(done.endTime[0] * 1e9 + done.endTime[1] > done.startTime[0] * 1e9 + done.startTime[1]);
  });

  void it('deferred: left out when short with nothing beneath, kept when something beneath is kept', () => {
    const to = sink(1000);
    const quiet = new LocalSpan(to, 'receive x', 4, PARENT, undefined, {}, true, 0);
    quiet.end(1);
    assert.equal(to.ended.length, 0);

    const publish = new LocalSpan(to, 'publish x', 3, PARENT, undefined, {}, true, 0);
    publish.end(0.1); // ended first, as a publish is
    const receive = new LocalSpan(to, 'receive x', 4, publish.spanContext(), publish, {}, true, 0.2);
    const deliver = new LocalSpan(to, 'deliver x', 0, receive.spanContext(), receive, {}, false, 0.3);
    deliver.end(0.4);
    assert.deepEqual(
      to.ended.map((s) => s.name),
      ['deliver x'],
    );
    // the receipt is kept when it ends, and then the publish it came from (ended before it)
    receive.end(0.5);
    assert.deepEqual(
      to.ended.map((s) => s.name),
      ['deliver x', 'receive x', 'publish x'],
    );
    assert.equal(to.ended[1].parentSpanContext?.spanId, publish.spanContext().spanId);
  });

  void it('deferred: kept when it lasts NB_TRACE_MIN_MS', () => {
    const to = sink(1);
    new LocalSpan(to, 'receive x', 4, PARENT, undefined, {}, true, 0).end(1);
    assert.equal(to.ended.length, 1);
  });

  void it('cuts string attributes at OTEL_SPAN_ATTRIBUTE_VALUE_LENGTH_LIMIT', () => {
    const to = sink(0, 6);
    new LocalSpan(to, 'db SELECT', 2, PARENT, undefined, { 'db.query.text': 'SELECT 1' }).end();
    assert.equal(to.ended[0].attributes['db.query.text'], 'SELECT');
  });
});
