import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { clientIp, keptText, parseRequestHead as parseRequestBytes } from './request-head';
import { ChunkedTracker, parseResponseHead as parseResponseBytes } from './response-head';

const head = (...lines: string[]) => lines.join('\r\n');
// The parsers read the bytes up to the blank line (passed as its offset) of a buffer holding more.
const bytes = (text: string) => Buffer.from(`${text}\r\n\r\nNEXT`, 'latin1');
const parseRequestHead = (text: string) => parseRequestBytes(bytes(text), Buffer.byteLength(text, 'latin1'));
const parseResponseHead = (text: string, forHead: boolean) =>
  parseResponseBytes(bytes(text), Buffer.byteLength(text, 'latin1'), forHead);

void describe('parseRequestHead', () => {
  void it('takes a plain API request and drops hop-by-hop and Connection-named headers', () => {
    const parsed = parseRequestHead(
      head(
        'POST /api/collections/x/records?a=1 HTTP/1.1',
        'Host: gw',
        'Connection: keep-alive, X-Hop',
        'X-Hop: 1',
        'TE: trailers',
        'Content-Length: 12',
        'X-Forwarded-For: 1.2.3.4',
        'Origin: https://app',
        'Authorization: t',
      ),
    );
    assert.ok(parsed);
    assert.equal(parsed.method, 'POST');
    assert.equal(parsed.url, '/api/collections/x/records?a=1');
    assert.equal(parsed.contentLength, 12);
    assert.equal(parsed.origin, 'https://app');
    assert.deepEqual(parsed.forwardedFor, ['1.2.3.4']);
    assert.equal(
      keptText(parsed),
      'POST /api/collections/x/records?a=1 HTTP/1.1\r\nHost: gw\r\nContent-Length: 12\r\nOrigin: https://app\r\n' +
        'Authorization: t\r\n',
    );
    assert.equal(parsed.keptBytes, keptText(parsed).length);
    assert.equal(parsed.close, false);
  });

  void it('passes header lines on byte for byte (obs-text, odd case, spacing) and reads names in any case', () => {
    const parsed = parseRequestHead(
      head('GET /api HTTP/1.1', 'hOsT:  gw ', 'X-Name:\tcaf\xe9 \t', 'CONNECTION: keep-alive', 'content-LENGTH:0'),
    );
    assert.ok(parsed);
    assert.equal(parsed.host, 'gw');
    assert.equal(parsed.url, '/api');
    assert.equal(keptText(parsed), 'GET /api HTTP/1.1\r\nhOsT:  gw \r\nX-Name:\tcaf\xe9 \t\r\ncontent-LENGTH:0\r\n');
    assert.equal(parsed.keptBytes, keptText(parsed).length);
    const xff = parseRequestHead(
      head('GET /api/x HTTP/1.1', 'X-Forwarded-For: 1.1.1.1', 'Host: h', 'X-Forwarded-Host: evil'),
    );
    assert.deepEqual(xff?.forwardedFor, ['1.1.1.1']);
    assert.equal(xff && keptText(xff), 'GET /api/x HTTP/1.1\r\nHost: h\r\n');
  });

  void it('leaves everything unusual to Node', () => {
    const declined = [
      head('GET /_/ HTTP/1.1', 'Host: x'),
      head('GET /apiary HTTP/1.1', 'Host: x'),
      head('OPTIONS /api/x HTTP/1.1', 'Host: x'),
      head('GET /api/x HTTP/1.0', 'Host: x'),
      head('GET /api/x HTTP/1.1'),
      head('GET /api/x HTTP/1.1', 'Host: x', 'Host: y'),
      head('POST /api/x HTTP/1.1', 'Host: x', 'Transfer-Encoding: chunked'),
      head('POST /api/x HTTP/1.1', 'Host: x', 'Content-Length: 1', 'Content-Length: 1'),
      head('POST /api/x HTTP/1.1', 'Host: x', 'Content-Length: -1'),
      head('POST /api/x HTTP/1.1', 'Host: x', 'Expect: 100-continue'),
      head('GET /api/realtime HTTP/1.1', 'Host: x', 'Connection: Upgrade', 'Upgrade: websocket'),
      head('GET /api/x HTTP/1.1', 'Host: x', ' folded'),
      head('GET /api/x HTTP/1.1', 'Host: x', 'Bad Name: 1'),
      head('GET /api/x HTTP/1.1', 'Host: x', 'X: a\x00b'),
      head('GET /api/x y HTTP/1.1', 'Host: x'),
      head('GET /api/x HTTP/1.1', 'Host: x', 'X: a\nb'),
      head('GET /api/x HTTP/1.1', 'Host: x', 'X: a\rb'),
      head('GET /api/x HTTP/1.1', 'Host: x', 'X: a\x7fb'),
      head('GET /api/x HTTP/1.1', 'Host: x', ': empty name'),
      head('GET /API/x HTTP/1.1', 'Host: x'),
      head('GET /api/x\x80 HTTP/1.1', 'Host: x'),
      head('GET  /api/x HTTP/1.1', 'Host: x'),
      head('get /api/x HTTP/1.1', 'Host: x'),
      head('PATCHY /api/x HTTP/1.1', 'Host: x'),
      head('GET /api/x HTTP/1.1 ', 'Host: x'),
      head('GET /api/x HTTP/1.1', 'Host: x', 'Content-Length: 1x'),
      head('GET /api/x HTTP/1.1', 'Host: x', 'Content-Length: 1234567890123456'),
      head('GET /api/x HTTP/1.1', 'Host: x', 'Connection: x, upgrade'),
      head('GET /api/x HTTP/1.1', ...Array.from({ length: 201 }, (_, i) => `X-${i}: 1`), 'Host: x'),
    ];
    for (const text of declined) {
      assert.equal(parseRequestHead(text), null, JSON.stringify(text));
    }
  });

  void it('notes Connection: close', () => {
    assert.equal(parseRequestHead(head('GET /api HTTP/1.1', 'Host: x', 'Connection: close'))?.close, true);
    assert.equal(parseRequestHead(head('GET /api HTTP/1.1', 'Host: x', 'Connection: Keep-Alive, CLOSE'))?.close, true);
    for (const method of ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE']) {
      assert.equal(parseRequestHead(head(`${method} /api/x?y=1 HTTP/1.1`, 'Host: x'))?.method, method);
    }
  });
});

void describe('clientIp', () => {
  void it('finds the client as Fastify trustProxy hops do', () => {
    assert.equal(clientIp('10.0.0.1', ['6.6.6.6'], 0), '10.0.0.1');
    assert.equal(clientIp('10.0.0.1', ['6.6.6.6, 7.7.7.7'], 1), '7.7.7.7');
    assert.equal(clientIp('10.0.0.1', ['6.6.6.6', '7.7.7.7'], 2), '6.6.6.6');
    assert.equal(clientIp('10.0.0.1', ['7.7.7.7'], 5), '7.7.7.7');
    assert.equal(clientIp('10.0.0.1', [], 1), '10.0.0.1');
  });
});

void describe('parseResponseHead', () => {
  void it('keeps the service headers but hop-by-hop, CORS and Vary, and tells the framing', () => {
    const parsed = parseResponseHead(
      head(
        'HTTP/1.1 200 OK',
        'Content-Type: text/event-stream',
        'Transfer-Encoding: chunked',
        'Connection: keep-alive, X-Hop',
        'Keep-Alive: timeout=72',
        'X-Hop: 1',
        'Vary: Accept',
        'Access-Control-Allow-Origin: *',
        'X-Kept: 1',
      ),
      false,
    );
    assert.ok(parsed);
    assert.equal(parsed.framing, 'chunked');
    assert.equal(parsed.keepAliveSeconds, 72);
    assert.equal(parsed.close, false);
    assert.equal(keptText(parsed), '200 OK\r\nContent-Type: text/event-stream\r\nX-Kept: 1\r\n');
    assert.equal(parsed.keptBytes, keptText(parsed).length);
  });

  void it('reads the length, an HTTP/1.0 close and refuses control characters', () => {
    const parsed = parseResponseHead(
      head('HTTP/1.1 201 Created', 'content-length: 7', 'Connection: keep-alive'),
      false,
    );
    assert.equal(parsed?.framing, 'length');
    assert.equal(parsed?.contentLength, 7);
    assert.equal(parsed && keptText(parsed), '201 Created\r\ncontent-length: 7\r\n');
    assert.equal(parseResponseHead(head('HTTP/1.0 200 OK', 'Content-Length: 1'), false)?.close, true);
    assert.equal(
      parseResponseHead(head('HTTP/1.1 200 OK', 'Content-Length: 1', 'Connection: close'), false)?.close,
      true,
    );
    assert.equal(parseResponseHead(head('HTTP/1.1 200', 'Content-Length: 1'), false)?.status, 200);
    assert.equal(parseResponseHead(head('HTTP/1.1 200 O\nK', 'Content-Length: 1'), false), null);
    assert.equal(parseResponseHead(head('HTTP/1.1 200 OK', 'X: a\nb'), false), null);
    assert.equal(parseResponseHead(head('HTTP/1.1 200 OK', 'Content-Length: x'), false), null);
    assert.equal(parseResponseHead(head('HTTP/2 200 OK'), false), null);
  });

  void it('has no body for HEAD, 204 and 304, and reads to the close without a length', () => {
    assert.equal(parseResponseHead(head('HTTP/1.1 200 OK', 'Content-Length: 5'), true)?.framing, 'none');
    assert.equal(parseResponseHead(head('HTTP/1.1 204 No Content'), false)?.framing, 'none');
    const close = parseResponseHead(head('HTTP/1.1 200 OK'), false);
    assert.equal(close?.framing, 'close');
    assert.equal(close?.close, true);
    assert.equal(parseResponseHead(head('HTTP/1.1 200 OK', 'Content-Length: 1', 'Content-Length: 2'), false), null);
    assert.equal(parseResponseHead(head('HTTP/1.1 200 OK', 'Transfer-Encoding: gzip'), false), null);
    assert.equal(parseResponseHead('garbage', false), null);
  });
});

void describe('ChunkedTracker', () => {
  void it('finds the end of a chunked body split anywhere', () => {
    const body = Buffer.from('5\r\nhello\r\n6;ext=1\r\n world\r\n0\r\nTrailer: x\r\n\r\nNEXT');
    for (let cut = 1; cut < body.length - 4; cut++) {
      const tracker = new ChunkedTracker();
      assert.equal(tracker.feed(body.subarray(0, cut)), -1, `cut at ${cut}`);
      assert.equal(tracker.feed(body.subarray(cut)), body.length - 4 - cut, `cut at ${cut}`);
    }
  });

  void it('throws on a malformed chunk size', () => {
    assert.throws(() => new ChunkedTracker().feed(Buffer.from('zz\r\n')));
  });
});
