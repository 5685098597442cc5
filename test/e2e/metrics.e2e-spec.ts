// GET /metrics on the standalone process (a real `nestbase serve`): Prometheus text, the bearer token of
// NB_METRICS_TOKEN in PocketBase's error envelope, request counters by route template and status, the
// realtime connection and subscription gauges following an SSE client, delivered events, and NB_METRICS=false.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';

import {
  HttpClient,
  ManagedProcess,
  startNestbase,
  TEST_CEILING_MS,
  tokenFor,
  uniqueSuffix,
  waitFor,
} from '@lib/testing';

import { metricsText, sampleSum, scrape } from './support/metrics-scrape';
import { RawSse } from './support/realtime-helpers';

const SU = { email: 'metrics-su@example.com', password: 'Metrics-Superuser-Passw0rd' };
const TOKEN = 'metrics-token-for-the-e2e-test';
const TIMEOUT = { timeout: TEST_CEILING_MS };
const RECORDS_ROUTE = '/api/collections/:collection/records';

let dir = '';
let server: ManagedProcess | undefined;
let url = '';

void describe('GET /metrics (standalone)', () => {
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'nestbase-metrics-'));
    const env = { PB_ADMIN_EMAIL: SU.email, PB_ADMIN_PASSWORD: SU.password, NB_METRICS_TOKEN: TOKEN };
    server = await startNestbase(join(dir, 'pb_data'), [], { env });
    url = server.baseUrl;
  });

  after(async () => {
    await server?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  void it('asks for the token: 401 without, 403 with another, both in the error envelope', TIMEOUT, async () => {
    const none = await scrape(url);
    assert.equal(none.status, 401);
    assert.deepEqual(JSON.parse(none.text), { status: 401, message: 'The metrics token is missing.', data: {} });
    const wrong = await scrape(url, 'another-token-of-enough-length');
    assert.equal(wrong.status, 403);
    assert.equal((JSON.parse(wrong.text) as { status: number }).status, 403);
    const right = await scrape(url, TOKEN);
    assert.equal(right.status, 200);
    assert.match(right.contentType, /^text\/plain; version=0\.0\.4/);
    assert.match(right.text, /^# TYPE nb_http_request_duration_seconds histogram$/m);
    assert.match(right.text, /^process_cpu_seconds_total /m, 'Node runtime metrics');
    assert.match(right.text, /^nodejs_eventloop_lag_seconds /m);
  });

  void it('counts requests by route template and status', TIMEOUT, async () => {
    const name = 'nb_http_request_duration_seconds_count';
    const missing = { method: 'GET', route: RECORDS_ROUTE, status: '404' };
    const before = sampleSum(await metricsText(url, TOKEN), name, missing);
    for (const collection of ['nope_a', 'nope_b', 'nope_c']) {
      assert.equal((await fetch(`${url}/api/collections/${collection}/records`)).status, 404);
    }
    const after = await metricsText(url, TOKEN);
    assert.equal(sampleSum(after, name, missing), before + 3, 'three 404s under one route template');
    assert.doesNotMatch(after, /nope_a/, 'URLs never become label values');
    assert.ok(sampleSum(after, 'nb_http_request_duration_seconds_bucket', { ...missing, le: '+Inf' }) >= 3);
    assert.equal(sampleSum(after, 'nb_http_requests_in_flight'), 1, 'only the scrape itself is in flight');
  });

  void it('follows an SSE client: connections, subscriptions, delivered events', TIMEOUT, async () => {
    const http = new HttpClient(url);
    const su = await tokenFor(http, '_superusers', SU.email, SU.password);
    const collection = `metrics_${uniqueSuffix()}`;
    const auth = { authorization: su, 'content-type': 'application/json' };
    const open = { listRule: '', viewRule: '', createRule: '' };
    const created = await fetch(`${url}/api/collections`, {
      method: 'POST',
      headers: auth,
      body: JSON.stringify({ name: collection, type: 'base', ...open, fields: [{ name: 'title', type: 'text' }] }),
    });
    assert.equal(created.status, 200, await created.text());
    const gauge = async (name: string, labels: Record<string, string> = {}) =>
      sampleSum(await metricsText(url, TOKEN), name, labels);
    const sse = await RawSse.open(url);
    try {
      await waitFor(async () => (await gauge('nb_realtime_connections', { transport: 'sse' })) === 1, 'sse gauge 1');
      const subscribed = await fetch(`${url}/api/realtime`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ clientId: sse.clientId, subscriptions: [collection] }),
      });
      assert.equal(subscribed.status, 204);
      assert.equal(await gauge('nb_realtime_subscriptions'), 1);
      const delivered = await gauge('nb_realtime_events_delivered_total');
      const rec = await fetch(`${url}/api/collections/${collection}/records`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ title: 'x' }),
      });
      assert.equal(rec.status, 200);
      await waitFor(() => sse.frames.some((f) => f.event.startsWith(collection)), 'the record event');
      assert.equal(await gauge('nb_realtime_events_delivered_total'), delivered + 1);
      assert.ok((await gauge('nb_realtime_rule_check_seconds_count', { kind: 'rule' })) >= 1);
    } finally {
      sse.close();
    }
    await waitFor(async () => (await gauge('nb_realtime_connections', { transport: 'sse' })) === 0, 'sse gauge 0');
    assert.equal(await gauge('nb_realtime_subscriptions'), 0);
  });

  void it('is off with NB_METRICS=false', TIMEOUT, async () => {
    const off = await startNestbase(join(dir, 'pb_data_off'), [], { env: { NB_METRICS: 'false' } });
    try {
      assert.equal((await scrape(off.baseUrl)).status, 404);
    } finally {
      await off.stop();
    }
  });
});
