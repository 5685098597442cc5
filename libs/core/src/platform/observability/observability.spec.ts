import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { joinCarrier, splitCarrier } from './propagation';
import { prettyLine } from './pretty-line';
import { currentRequestId, runInContext, saneRequestId } from './request-context';

void describe('request ids', () => {
  void it('keeps sane tokens and refuses the rest', () => {
    assert.equal(saneRequestId('abc-123_x.y:z/w+=@~'), 'abc-123_x.y:z/w+=@~');
    assert.equal(saneRequestId(['first', 'second']), 'first');
    for (const bad of [undefined, '', ' lead', 'a b', 'a\tb', 'x'.repeat(129), 'é', '<script>', 'a;b', 'a"b']) {
      assert.equal(saneRequestId(bad), undefined, JSON.stringify(bad));
    }
  });

  void it('follows async code run in a context', async () => {
    const seen = await runInContext({ requestId: 'r1' }, async () => {
      await new Promise((resolve) => setImmediate(resolve));
      return currentRequestId();
    });
    assert.equal(seen, 'r1');
    assert.equal(currentRequestId(), '');
  });
});

void describe('carriers on bus messages', () => {
  void it('round-trips, and leaves messages without one as they are', () => {
    const message = joinCarrier(
      { rid: 'r1', tp: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01' },
      '{"a":1}',
    );
    assert.deepEqual(splitCarrier(message), {
      carrier: { rid: 'r1', tp: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01' },
      body: '{"a":1}',
    });
    assert.deepEqual(splitCarrier('{"a":1}'), { carrier: undefined, body: '{"a":1}' });
    assert.equal(joinCarrier(undefined, '{"a":1}'), '{"a":1}');
  });
});

void describe('pretty log lines', () => {
  void it('reads as time, level, service, message, then the fields', () => {
    const json = JSON.stringify({
      level: 'info',
      time: '2026-12-03T12:00:01.234Z',
      service: 'records',
      reqId: 'r1',
      status: 200,
      msg: 'request',
    });
    assert.equal(prettyLine(`${json}\n`), '12:00:01.234 INFO  records request reqId=r1 status=200\n');
  });

  void it("prints a banner's tree under its message, PocketBase's way, without the JSON-only fields", () => {
    const json = JSON.stringify({
      level: 'info',
      time: '2026-12-03T12:00:01.234Z',
      service: 'nestbase',
      address: 'http://127.0.0.1:8090',
      tree: ['REST API:  http://127.0.0.1:8090/api/', 'Dashboard: http://127.0.0.1:8090/_/'],
      msg: 'nestbase started at http://127.0.0.1:8090',
    });
    assert.equal(
      prettyLine(`${json}\n`),
      '12:00:01.234 INFO  nestbase nestbase started at http://127.0.0.1:8090\n' +
        '├─ REST API:  http://127.0.0.1:8090/api/\n└─ Dashboard: http://127.0.0.1:8090/_/\n',
    );
  });
});
