// The gateway's fast path against stand-in services (plain HTTP servers): a POST meeting a refused connection is
// sent, body and all, to the next address exactly once; a POST the service received and dropped is a 502, never
// sent twice; hop-by-hop request headers stay at the gateway; chunked and close-delimited answers arrive whole;
// pipelined requests and a body sent after its head are served in order; what the fast path doesn't take
// (chunked bodies) still goes through, on a connection handed to Node with the bytes already read; each exchange
// writes one JSON access line named by the X-Request-Id passed to the service.
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { connect } from 'node:net';
import { after, before, describe, it } from 'node:test';

import { freePort, ManagedProcess, TEST_CEILING_MS } from '@lib/testing';

import { startGateway } from './support/gateway-process';

interface Seen {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

/** A stand-in service: answers /readyz, records every other request, then lets `handle` answer it. */
async function standIn(
  seen: Seen[],
  handle: (req: IncomingMessage, res: ServerResponse, body: string) => void,
): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      if (req.url === '/readyz') {
        res.end('{}');
        return;
      }
      seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
      handle(req, res, body);
    });
  });
  const port = await freePort();
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${port}` };
}

function closeServer(server: Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}

/** Writes `parts` on one raw connection (each after the previous one was sent) and reads until the server closes. */
function rawExchange(base: string, parts: string[]): Promise<string> {
  const url = new URL(base);
  return new Promise((resolve, reject) => {
    let got = '';
    const socket = connect(Number(url.port), url.hostname, () => {
      const next = (i: number) => {
        if (i < parts.length) {
          socket.write(parts[i], () => setImmediate(() => next(i + 1)));
        }
      };
      next(0);
    });
    socket.on('data', (chunk: Buffer) => (got += chunk.toString('latin1')));
    socket.on('error', reject);
    socket.on('close', () => resolve(got));
  });
}

void describe('gateway fast path', { timeout: TEST_CEILING_MS }, () => {
  const seenA: Seen[] = [];
  const seenB: Seen[] = [];
  let a: { server: Server; url: string };
  let b: { server: Server; url: string };
  let gateway: ManagedProcess;
  let gatewayUrl = '';

  before(async () => {
    const answer = (name: string) => (req: IncomingMessage, res: ServerResponse, body: string) => {
      if (req.url === '/api/drop') {
        req.socket.destroy(); // received, then gone without an answer
      } else if (req.url === '/api/chunked') {
        res.writeHead(200, { 'content-type': 'text/plain' });
        res.write('first-');
        setImmediate(() => res.end('second'));
      } else if (req.url === '/api/until-close') {
        res.useChunkedEncodingByDefault = false;
        res.shouldKeepAlive = false;
        res.writeHead(200, { 'content-type': 'text/plain', connection: 'close' });
        res.write('until-');
        setImmediate(() => res.end('close'));
      } else {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ served: name, url: req.url, body }));
      }
    };
    a = await standIn(seenA, answer('a'));
    b = await standIn(seenB, answer('b'));
    const upstream = `${a.url},${b.url}`;
    gateway = await startGateway({
      NB_UPSTREAM_RECORDS: upstream,
      NB_UPSTREAM_AUTH: upstream,
      NB_UPSTREAM_FILES: upstream,
      NB_UPSTREAM_REALTIME: upstream,
      // No probe during the test: an address that stops listening stays in rotation until a request meets it.
      NB_UPSTREAM_HEALTH_INTERVAL_MS: '600000',
      NB_INTERNAL_SECRET: 'gateway-fast-path-test',
    });
    gatewayUrl = gateway.baseUrl;
  });

  after(async () => {
    await gateway?.stop();
    await Promise.allSettled([a, b].filter((s) => s?.server.listening).map((s) => closeServer(s.server)));
  });

  void it('drops hop-by-hop request headers and adds X-Forwarded-*', async () => {
    const response = await rawExchange(gatewayUrl, [
      'GET /api/echo HTTP/1.1\r\nHost: gw.example\r\nTE: trailers\r\nKeep-Alive: timeout=5\r\n' +
        'Proxy-Authorization: Basic eA==\r\nConnection: close, X-Drop\r\nX-Drop: 1\r\nX-Keep: 2\r\n\r\n',
    ]);
    assert.match(response, /^HTTP\/1\.1 200 /);
    const seen = [...seenA, ...seenB].find((s) => s.url === '/api/echo');
    assert.ok(seen);
    for (const name of ['te', 'keep-alive', 'proxy-authorization', 'x-drop']) {
      assert.equal(seen.headers[name], undefined, `${name} reached the service`);
    }
    assert.equal(seen.headers['x-keep'], '2');
    assert.equal(seen.headers['x-forwarded-for'], '127.0.0.1');
    assert.equal(seen.headers['x-forwarded-host'], 'gw.example');
  });

  void it('serves pipelined requests in order and a body sent after its head', async () => {
    const response = await rawExchange(gatewayUrl, [
      'GET /api/one HTTP/1.1\r\nHost: x\r\n\r\nPOST /api/two HTTP/1.1\r\nHost: x\r\nContent-Length: 11\r\n\r\n',
      'hello',
      ' world',
      'GET /api/three HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n',
    ]);
    const urls = [...response.matchAll(/"url":"([^"]+)","body":"([^"]*)"/g)].map((m) => `${m[1]}=${m[2]}`);
    assert.deepEqual(urls, ['/api/one=', '/api/two=hello world', '/api/three=']);
  });

  void it('hands a connection to Node with the bytes already read, in order, and later ones after them', async () => {
    const response = await rawExchange(gatewayUrl, [
      'GET /api/h1 HTTP/1.1\r\nHost: x\r\n\r\n' +
        'POST /api/h2 HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n' +
        'GET /api/h3 HTTP/1.1\r\nHost: x\r\n\r\nPOST /api/h4 HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nab',
      'cde',
      'GET /api/h5 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n',
    ]);
    const urls = [...response.matchAll(/"url":"([^"]+)","body":"([^"]*)"/g)].map((m) => `${m[1]}=${m[2]}`);
    assert.deepEqual(urls, ['/api/h1=', '/api/h2=hello', '/api/h3=', '/api/h4=abcde', '/api/h5=']);
  });

  void it('passes chunked and close-delimited answers on whole', async () => {
    const chunked = await fetch(`${gatewayUrl}/api/chunked`);
    assert.equal(await chunked.text(), 'first-second');
    const untilClose = await fetch(`${gatewayUrl}/api/until-close`);
    assert.equal(await untilClose.text(), 'until-close');
  });

  void it('answers 502 for a POST the service received and dropped, and never sends it twice', async () => {
    const before = seenA.length + seenB.length;
    const res = await fetch(`${gatewayUrl}/api/drop`, { method: 'POST', body: '{"once":true}' });
    assert.equal(res.status, 502);
    assert.deepEqual(await res.json(), { status: 502, message: 'The records service did not answer.', data: {} });
    assert.equal(seenA.length + seenB.length - before, 1, 'the POST reached a service more than once');
  });

  void it('sends a POST that meets a refused connection to the next address, body and all, once', async () => {
    await closeServer(a.server); // address a now refuses connections; the gateway still thinks it is up
    const before = seenB.length;
    const bodies: string[] = [];
    for (let i = 0; i < 4; i++) {
      const body = JSON.stringify({ n: i, pad: 'p'.repeat(20_000) });
      const res = await fetch(`${gatewayUrl}/api/create-${i}`, { method: 'POST', body });
      assert.equal(res.status, 200, `POST ${i}`);
      const answer = (await res.json()) as { served: string; body: string };
      assert.equal(answer.served, 'b');
      bodies.push(answer.body);
    }
    const posted = seenB.slice(before).map((s) => s.url);
    assert.deepEqual(posted, ['/api/create-0', '/api/create-1', '/api/create-2', '/api/create-3']);
    assert.deepEqual(
      bodies.map((body) => (JSON.parse(body) as { n: number }).n),
      [0, 1, 2, 3],
    );
  });

  void it('writes one JSON access line per exchange, named by the X-Request-Id it passed on', async () => {
    const ask = (path: string, id: string) =>
      rawExchange(gatewayUrl, [`GET ${path} HTTP/1.1\r\nHost: x\r\nX-Request-Id: ${id}\r\nConnection: close\r\n\r\n`]);
    assert.match(await ask('/api/logged?x=1', 'fast-log-1'), /^HTTP\/1\.1 200 /);
    assert.equal([...seenA, ...seenB].find((s) => s.url === '/api/logged?x=1')?.headers['x-request-id'], 'fast-log-1');
    // an id it refuses: a new one, the same on the service's request and in the line
    assert.match(await ask('/api/logged?x=2', 'has%20no;sense'), /^HTTP\/1\.1 200 /);
    const made = String([...seenA, ...seenB].find((s) => s.url === '/api/logged?x=2')?.headers['x-request-id']);
    assert.match(made, /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    // the gateway's own answer (the internal API is never proxied) carries its id and is logged too
    const blocked = await ask('/api/_internal/x', 'fast-log-3');
    assert.match(blocked, /^HTTP\/1\.1 404 [^]*\r\nX-Request-Id: fast-log-3\r\n/);
    await gateway.waitForOutput(/"reqId":"fast-log-3"/);
    const lines = gateway
      .stdout()
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    const byId = (id: string) => lines.filter((l) => l.reqId === id);
    const [ok] = byId('fast-log-1');
    const keys = ['level', 'time', 'service', 'reqId', 'method', 'url', 'status', 'upstream', 'ip', 'route', 'ms'];
    assert.deepEqual(Object.keys(ok), [...keys, 'msg']);
    assert.deepEqual(
      [ok.level, ok.service, ok.method, ok.url, ok.status, ok.ip, ok.route, ok.msg],
      ['info', 'gateway', 'GET', '/api/logged?x=1', 200, '127.0.0.1', 'records', 'request'],
    );
    assert.ok([a.url, b.url].includes(`http://${String(ok.upstream)}`), String(ok.upstream));
    assert.ok(!Number.isNaN(Date.parse(String(ok.time))) && typeof ok.ms === 'number' && ok.ms >= 0);
    assert.deepEqual(
      byId(made).map((l) => [l.url, l.status]),
      [['/api/logged?x=2', 200]],
    );
    assert.deepEqual(
      byId('fast-log-3').map((l) => [l.url, l.status, l.route, l.upstream]),
      [['/api/_internal/x', 404, 'blocked', '-']],
    );
  });

  // Last: the connection this request arrives on is Node's server's from then on.
  void it('answers a HEAD it refuses itself with the head only (found by the route fuzzer)', async () => {
    const response = await rawExchange(gatewayUrl, [
      'HEAD /api/_internal/upload-journal/sweep HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n',
    ]);
    assert.match(response, /^HTTP\/1\.1 404 /);
    assert.ok(response.endsWith('\r\n\r\n'), `a body after the head: ${JSON.stringify(response)}`);
  });

  void it('still proxies a chunked request body (through the Fastify path)', async () => {
    const res = await fetch(`${gatewayUrl}/api/streamed`, {
      method: 'POST',
      body: new Blob(['{"n":1}']).stream(),
      duplex: 'half',
    });
    assert.equal(res.status, 200);
    assert.equal(((await res.json()) as { body: string }).body, '{"n":1}');
  });
});
