// GET /metrics across the distributed set of docker-compose.yml started as processes (support/service-set.ts)
// with NB_METRICS_TOKEN set through compose's interpolation: every replica answers on its own port and asks for
// the token; a request through the gateway moves the gateway's upstream histogram and the service's request
// counter; the realtime replicas' connection gauge follows an SSE client connected through the gateway; and the
// gateway never hands a service's /metrics to the public, whatever the path spelling.
import assert from 'node:assert/strict';
import * as http from 'node:http';
import { after, before, describe, it } from 'node:test';

import { TEST_CEILING_MS, waitFor } from '@lib/testing';

import { metricsText, sampleSum, scrape, sumOver } from '../e2e/support/metrics-scrape';
import { RawSse } from '../e2e/support/realtime-helpers';
import { ServiceSet } from './support/service-set';

const TOKEN = 'distributed-metrics-token-0123456789';
const TIMEOUT = { timeout: TEST_CEILING_MS };
const SERVICES = ['gateway', 'records', 'auth', 'files', 'realtime'];

/** GET `path` sent exactly as written (no URL normalisation), status and body. */
function rawGet(baseUrl: string, path: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(`${baseUrl}${path}`, { headers: { authorization: `Bearer ${TOKEN}` } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.path = path;
    req.on('error', reject);
    req.end();
  });
}

void describe('GET /metrics in the distributed set', { timeout: 10 * 60_000 }, () => {
  const set = new ServiceSet();
  let replicas: string[] = [];
  let realtime: string[] = [];

  before(async () => {
    await set.start({ vars: { NB_METRICS_TOKEN: TOKEN } });
    replicas = SERVICES.flatMap((name) => set.of(name).map((_, i) => set.url(name, i)));
    realtime = set.of('realtime').map((_, i) => set.url('realtime', i));
  });

  after(async () => {
    await set.stop();
  });

  void it('every replica answers its own /metrics, with the token only', TIMEOUT, async () => {
    assert.equal(replicas.length, 6, 'gateway, records, auth, files and two realtime replicas');
    for (const url of replicas) {
      assert.equal((await scrape(url)).status, 401, url);
      assert.equal((await scrape(url, 'a-wrong-token-of-enough-length')).status, 403, url);
      assert.match(await metricsText(url, TOKEN), /^process_resident_memory_bytes /m, url);
    }
  });

  void it('a request through the gateway counts on the gateway and on the service', TIMEOUT, async () => {
    const records = set.url('records');
    const served = { method: 'GET', route: '/api/health', status: '200' };
    const proxied = { service: 'records', status: '200' };
    const count = 'nb_http_request_duration_seconds_count';
    const upstream = 'nb_gateway_upstream_duration_seconds_count';
    const before = sampleSum(await metricsText(records, TOKEN), count, served);
    const gatewayBefore = sampleSum(await metricsText(set.gatewayUrl, TOKEN), upstream, proxied);
    for (let i = 0; i < 3; i++) {
      assert.equal((await fetch(`${set.gatewayUrl}/api/health`)).status, 200);
    }
    // Other clients (health checks) may add to them: at least the three.
    assert.ok(sampleSum(await metricsText(records, TOKEN), count, served) >= before + 3);
    assert.ok(sampleSum(await metricsText(set.gatewayUrl, TOKEN), upstream, proxied) >= gatewayBefore + 3);
  });

  void it('the gateway answers /metrics itself and never forwards a service’s', TIMEOUT, async () => {
    await fetch(`${set.gatewayUrl}/api/collections/nope/records`);
    const own = await metricsText(set.gatewayUrl, TOKEN);
    assert.match(own, /^# TYPE nb_gateway_upstream_duration_seconds histogram$/m);
    assert.equal(sampleSum(own, 'nb_http_requests_in_flight'), 1, 'proxied requests never stay in flight');
    assert.doesNotMatch(own, /route="\/api\/collections\/:collection\/records"/, 'no records service series');
    for (const path of ['/api/metrics', '/api/../metrics', '/api/%2e%2e/metrics', '/api/records/../../metrics']) {
      const got = await rawGet(set.gatewayUrl, path);
      if (got.status === 200) {
        // A normalised path reaches the gateway's own endpoint, never a service's.
        assert.doesNotMatch(got.body, /route="\/api\/collections\/:collection\/records"/, path);
      } else {
        assert.doesNotMatch(got.body, /^nb_/m, path);
      }
    }
  });

  void it('the realtime connection gauge follows an SSE client connected through the gateway', TIMEOUT, async () => {
    const connections = () => sumOver(realtime, TOKEN, 'nb_realtime_connections', { transport: 'sse' });
    const start = await connections();
    const sse = await RawSse.open(set.gatewayUrl);
    try {
      await waitFor(async () => (await connections()) === start + 1, 'one more SSE connection on the replicas');
    } finally {
      sse.close();
    }
    await waitFor(async () => (await connections()) === start, 'the connection gone from the gauge');
  });
});
