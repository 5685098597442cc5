// The gateway in front of two records replicas and one auth service on one data dir, with Redis: routing,
// load balancing with ejection of a dead replica, the per-IP rate limit shared by two gateways through
// Redis, CORS, the body limit, the access log, the blocked internal API, WebSocket tunnelling and /readyz.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';

import WebSocket from 'ws';

import { HttpClient, ManagedProcess, startSplitService, TEST_CEILING_MS, TestClock } from '@lib/testing';

import { startGateway } from './support/gateway-process';
import { RedisServer } from './support/redis-server';

const SU = { email: 'gw-admin@example.com', password: 'Gateway-Passw0rd' };
const SECRET = 'gateway-test-internal-secret';

void describe('gateway', { timeout: TEST_CEILING_MS }, () => {
  let dir: string;
  let redis: RedisServer;
  const services: ManagedProcess[] = [];
  let gateways: ManagedProcess[] = [];
  let records: ManagedProcess[] = [];

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'nestbase-gateway-'));
    redis = await RedisServer.start();
    // the body limit is the services' (the gateway streams bodies and relays their 413)
    const env = { REDIS_URL: redis.url, NB_INTERNAL_SECRET: SECRET, NB_TRUST_PROXY_HOPS: '1', NB_BODY_LIMIT: '4096' };
    const first = await startSplitService('records', dir, [], {
      env: { ...env, PB_ADMIN_EMAIL: SU.email, PB_ADMIN_PASSWORD: SU.password },
    });
    records = [first, await startSplitService('records', dir, [], { env })];
    const auth = await startSplitService('auth', dir, [], { env });
    services.push(...records, auth);
    const upstreams = {
      NB_UPSTREAM_RECORDS: records.map((r) => r.baseUrl).join(','),
      NB_UPSTREAM_AUTH: auth.baseUrl,
      // No files or realtime service here: their routes answer 503, the rest works.
      NB_UPSTREAM_FILES: 'http://127.0.0.1:9',
      NB_UPSTREAM_REALTIME: 'http://127.0.0.1:9',
      NB_UPSTREAM_HEALTH_INTERVAL_MS: '200',
    };
    gateways = [
      await startGateway({ ...env, ...upstreams, NB_RATE_LIMIT_MAX: '1000' }),
      await startGateway({ ...env, ...upstreams, NB_RATE_LIMIT_MAX: '1000' }),
    ];
  });

  after(async () => {
    await Promise.allSettled([...gateways, ...services].map((p) => p.stop()));
    await redis?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  void it('routes auth paths to auth and the rest to records, and logs each request', async () => {
    const http = new HttpClient(gateways[0].baseUrl);
    const login = await http.request('POST', '/api/collections/_superusers/auth-with-password', {
      body: { identity: SU.email, password: SU.password },
    });
    assert.equal(login.status, 200, login.text);
    const list = await http.request('GET', '/api/collections', { token: login.json<{ token: string }>().token });
    assert.equal(list.status, 200);
    // The access log line is written after the answer: wait for it rather than for a fixed time.
    await gateways[0].waitForOutput(/"url":"\/api\/collections"/);
    const lines = gateways[0]
      .stdout()
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as { url: string; route: string; status: number; upstream: string });
    const auth = lines.find((l) => l.url === '/api/collections/_superusers/auth-with-password');
    assert.equal(auth?.route, 'auth');
    assert.equal(auth?.upstream, new URL(services[2].baseUrl).host);
    assert.deepEqual(
      lines.filter((l) => l.url === '/api/collections').map((l) => [l.route, l.status]),
      [['records', 200]],
    );
  });

  void it('lets the services see the client the gateway saw, not a forged X-Forwarded-For', async () => {
    const http = new HttpClient(gateways[0].baseUrl);
    const login = await http.request('POST', '/api/collections/_superusers/auth-with-password', {
      body: { identity: SU.email, password: SU.password },
    });
    const token = login.json<{ token: string }>().token;
    // From 127.0.0.2 (a loopback alias), claiming to be 6.6.6.6: the records service trusts one hop.
    const body = await new Promise<string>((resolve, reject) => {
      const url = new URL(`${gateways[0].baseUrl}/api/health`);
      const req = httpRequest(
        {
          host: url.hostname,
          port: url.port,
          path: url.pathname,
          localAddress: '127.0.0.2',
          headers: { authorization: token, 'x-forwarded-for': '6.6.6.6' },
        },
        (res) => {
          let text = '';
          res.on('data', (chunk: Buffer) => (text += chunk.toString()));
          res.on('end', () => resolve(text));
        },
      );
      req.on('error', reject);
      req.end();
    });
    assert.equal((JSON.parse(body) as { data: { realIP: string } }).data.realIP, '127.0.0.2', body);
  });

  void it('answers 503 in the envelope for a service with no live address', async () => {
    const res = await new HttpClient(gateways[0].baseUrl).request('GET', '/api/files/token');
    assert.equal(res.status, 503);
    assert.deepEqual(res.body, { status: 503, message: 'The files service is unavailable.', data: {} });
  });

  void it('blocks the internal API and answers CORS preflights itself', async () => {
    const http = new HttpClient(gateways[0].baseUrl);
    const internal = await http.request('POST', '/api/_internal/collections', {
      headers: { 'x-nestbase-internal': SECRET },
      body: {},
    });
    assert.equal(internal.status, 404);
    const preflight = await fetch(`${gateways[0].baseUrl}/api/collections/users/records`, {
      method: 'OPTIONS',
      headers: { origin: 'https://app.example.com', 'access-control-request-method': 'PATCH' },
    });
    assert.ok(preflight.status === 204 || preflight.status === 200, String(preflight.status));
    assert.equal(preflight.headers.get('access-control-allow-origin'), 'https://app.example.com');
    const get = await fetch(`${gateways[0].baseUrl}/api/health`, { headers: { origin: 'https://app.example.com' } });
    assert.equal(get.headers.get('access-control-allow-origin'), 'https://app.example.com');
  });

  void it("relays the service's 413 for a body over its limit, also when it is sent chunked", async () => {
    const big = JSON.stringify({ title: 'x'.repeat(10_000) });
    const res = await new HttpClient(gateways[0].baseUrl).request('POST', '/api/collections/users/records', {
      body: big,
    });
    assert.equal(res.status, 413);
    const chunked = await fetch(`${gateways[0].baseUrl}/api/collections/users/records`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: new Blob([big]).stream(),
      duplex: 'half',
    });
    assert.equal(chunked.status, 413);
    assert.equal(((await chunked.json()) as { status: number }).status, 413);
  });

  void it('balances over both records replicas and keeps serving when one dies', async () => {
    const http = new HttpClient(gateways[1].baseUrl);
    for (let i = 0; i < 10; i++) {
      assert.equal((await http.request('GET', '/api/health')).status, 200);
    }
    const used = new Set(
      gateways[1]
        .stdout()
        .split('\n')
        .filter((line) => line.includes('"/api/health"'))
        .map((line) => (JSON.parse(line) as { upstream: string }).upstream),
    );
    assert.equal(used.size, 2, `both replicas served: ${[...used].join(', ')}`);
    await records[1].stop('SIGKILL');
    for (let i = 0; i < 20; i++) {
      const res = await http.request('GET', '/api/health');
      assert.equal(res.status, 200, `request ${i} after the kill: ${res.status}`);
    }
  });

  void it('shares the per-IP rate limit between gateways through Redis; the window ends on their clock', async () => {
    const clock = new TestClock(join(dir, 'gateway.clock'));
    const env = {
      NB_TEST_CLOCK_FILE: clock.file,
      REDIS_URL: redis.url,
      NB_UPSTREAM_RECORDS: records[0].baseUrl,
      NB_UPSTREAM_AUTH: services[2].baseUrl,
      NB_UPSTREAM_FILES: 'http://127.0.0.1:9',
      NB_UPSTREAM_REALTIME: 'http://127.0.0.1:9',
      NB_RATE_LIMIT_MAX: '6',
      NB_RATE_LIMIT_WINDOW_MS: '60000',
    };
    const limited = [await startGateway(env), await startGateway(env)];
    gateways.push(...limited);
    // The window holds the earlier tests' requests (same client IP, same Redis key): start a fresh one.
    await redis.cli('DEL', 'nestbase:gateway:127.0.0.1');
    const statuses: number[] = [];
    for (let i = 0; i < 8; i++) {
      statuses.push((await new HttpClient(limited[i % 2].baseUrl).request('GET', '/api/health')).status);
    }
    assert.deepEqual(statuses, [200, 200, 200, 200, 200, 200, 429, 429]);
    const res = await new HttpClient(limited[0].baseUrl).request('GET', '/api/health');
    assert.deepEqual(res.body, { status: 429, message: 'Too many requests.', data: {} });
    // The minute passes on the gateways' clock (not the test's): a new window for both.
    await clock.advance(60_000);
    for (let i = 0; i < 2; i++) {
      assert.equal((await new HttpClient(limited[i].baseUrl).request('GET', '/api/health')).status, 200);
    }
  });

  void it('tunnels a WebSocket upgrade to the service and refuses one it cannot place', async () => {
    const ws = new WebSocket(`${gateways[0].baseUrl.replace('http', 'ws')}/api/realtime`);
    const status = await new Promise<number>((resolve) => {
      ws.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
      ws.once('open', () => resolve(101));
      ws.once('error', () => resolve(-1));
    });
    // The realtime upstream (port 9) refuses: 503 at the handshake, not a hang.
    assert.equal(status, 503);
    ws.terminate();
    const internal = new WebSocket(`${gateways[0].baseUrl.replace('http', 'ws')}/api/_internal/x`);
    const refused = await new Promise<number>((resolve) => {
      internal.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
      internal.once('error', () => resolve(-1));
    });
    assert.equal(refused, 404);
    internal.terminate();
  });
});
