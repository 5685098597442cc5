// OpenTelemetry traces end to end, with an in-process OTLP/HTTP receiver (support/otlp-receiver.ts): one record
// create through the split set (gateway, records, realtime on Redis) is one trace whose spans come from all three
// processes — gateway → records (its SQL, the event publish) → realtime (the event's receipt and delivery) — and
// the same in the standalone process. The create's X-Request-Id names it in every process's log lines too.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';

import WebSocket from 'ws';

import {
  HttpClient,
  ManagedProcess,
  OPEN_RULES,
  ScenarioContext,
  startNestbase,
  startSplitService,
  TEST_CEILING_MS,
  text,
  tokenFor,
} from '@lib/testing';

import { startGateway } from './support/gateway-process';
import { OtlpReceiver, type ReceivedSpan } from './support/otlp-receiver';
import { RawSse, waitUntil } from './support/realtime-helpers';
import { RedisServer } from './support/redis-server';

const SU = { email: 'otel-su@example.com', password: 'Otel-Superuser-Passw0rd' };
const TIMEOUT = { timeout: TEST_CEILING_MS };

/** Tracing on through the standard variables only; spans leave every 100 ms. */
const tracingEnv = (receiver: OtlpReceiver) => ({
  OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint,
  OTEL_BSP_SCHEDULE_DELAY: '100',
});

/**
 * Subscribes an SSE client (through `baseUrl`) to a new open collection, creates one record with `requestId`
 * and waits for the client to get it; returns the trace id of the create (its first span naming the id).
 */
async function createWithSubscriber(baseUrl: string, receiver: OtlpReceiver, requestId: string): Promise<string> {
  const http = new HttpClient(baseUrl);
  const t = new ScenarioContext(http, await tokenFor(http, '_superusers', SU.email, SU.password));
  await t.createCollection({ name: 'notes', ...OPEN_RULES, fields: [text('title')] });
  const sse = await RawSse.open(baseUrl);
  try {
    const sub = await http.request('POST', '/api/realtime', {
      body: { clientId: sse.clientId, subscriptions: [`${t.col('notes')}/*`] },
    });
    assert.equal(sub.status, 204, sub.text);
    const created = await http.request('POST', t.records('notes'), {
      body: { title: 'traced' },
      headers: { 'X-Request-Id': requestId },
    });
    assert.equal(created.status, 200, created.text);
    assert.equal(created.headers.get('x-request-id'), requestId);
    await waitUntil(() => sse.frames.length >= 2, 'the create on the SSE client');
  } finally {
    sse.close();
  }
  let root: ReceivedSpan | undefined;
  await waitUntil(
    () => (root = receiver.spans.find((s) => s.attributes['nestbase.request_id'] === requestId)) !== undefined,
    `a span of request ${requestId}`,
  );
  return root!.traceId;
}

/** Waits until the trace has every span named in `expected` (`service: name`), then checks it has one root. */
async function assertTrace(receiver: OtlpReceiver, traceId: string, expected: string[]): Promise<string> {
  const has = (line: string) => receiver.trace(traceId).some((s) => `${s.service}: ${s.name}` === line);
  try {
    await waitUntil(() => expected.every(has), 'every span of the trace');
  } catch (error) {
    const missing = expected.filter((l) => !has(l)).join(', ');
    throw new Error(`missing: ${missing}\n${receiver.tree(traceId)}`, { cause: error });
  }
  const spans = receiver.trace(traceId);
  const ids = new Set(spans.map((s) => s.spanId));
  const roots = spans.filter((s) => !ids.has(s.parentSpanId));
  assert.equal(roots.length, 1, `one root span:\n${receiver.tree(traceId)}`);
  assert.deepEqual([...receiver.contentTypes], ['application/json']);
  return receiver.tree(traceId);
}

/** The JSON log lines of a process. */
function jsonLines(proc: ManagedProcess): Record<string, unknown>[] {
  return proc
    .stdout()
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

/** The JSON log lines of a process that carry `requestId`. */
function linesOf(proc: ManagedProcess, requestId: string): Record<string, unknown>[] {
  return jsonLines(proc).filter((line) => line.reqId === requestId);
}

void describe('traces across the split set (gateway, records, realtime on Redis)', () => {
  let dir = '';
  let redis: RedisServer | undefined;
  let receiver: OtlpReceiver;
  const procs: ManagedProcess[] = [];
  let gateway: ManagedProcess;
  let records: ManagedProcess;
  let realtime: ManagedProcess;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'nestbase-otel-split-'));
    receiver = await OtlpReceiver.start();
    redis = await RedisServer.start();
    const env = { REDIS_URL: redis.url, NB_INTERNAL_SECRET: 'otel-test-secret', ...tracingEnv(receiver) };
    // each one kept for `after` as soon as it runs: one that fails to start must not leave the others running
    const kept = (proc: ManagedProcess) => (procs.push(proc), proc);
    records = kept(
      await startSplitService('records', dir, [], {
        env: { ...env, PB_ADMIN_EMAIL: SU.email, PB_ADMIN_PASSWORD: SU.password },
      }),
    );
    realtime = kept(await startSplitService('realtime', dir, [], { env }));
    const auth = kept(await startSplitService('auth', dir, [], { env }));
    gateway = await startGateway({
      ...env,
      NB_UPSTREAM_RECORDS: records.baseUrl,
      NB_UPSTREAM_AUTH: auth.baseUrl,
      NB_UPSTREAM_FILES: 'http://127.0.0.1:9',
      NB_UPSTREAM_REALTIME: realtime.baseUrl,
      NB_UPSTREAM_HEALTH_INTERVAL_MS: '200',
    });
    procs.push(gateway);
  }, TIMEOUT);

  after(async () => {
    await Promise.allSettled(procs.map((p) => p.stop()));
    await redis?.stop();
    await receiver?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  void it(
    'one record create is one trace: gateway → records → SQL → publish → realtime delivery',
    TIMEOUT,
    async () => {
      const requestId = 'otel-split-create-1';
      const traceId = await createWithSubscriber(gateway.baseUrl, receiver, requestId);
      const tree = await assertTrace(receiver, traceId, [
        'nestbase-gateway: POST records',
        'nestbase-records: POST /api/collections/:collection/records',
        'nestbase-records: db INSERT',
        'nestbase-records: publish record.created',
        'nestbase-realtime: receive record.created',
        'nestbase-realtime: deliver record.create',
      ]);
      process.stdout.write(`# trace of one create:\n${tree.replace(/^/gm, '#   ')}\n`);
      // the same request id in each process's log: the gateway's and records' access lines, realtime's delivery
      await waitUntil(() => linesOf(realtime, requestId).length > 0, 'the delivery line in realtime');
      const [gw] = linesOf(gateway, requestId);
      const [rec] = linesOf(records, requestId).filter((l) => l.msg === 'request');
      const [rt] = linesOf(realtime, requestId);
      assert.deepEqual([gw?.service, gw?.route, gw?.status], ['gateway', 'records', 200]);
      assert.deepEqual(
        [rec?.service, rec?.route, rec?.status],
        ['records', '/api/collections/:collection/records', 200],
      );
      assert.deepEqual([rt?.service, rt?.msg, rt?.sent], ['realtime', 'realtime delivery', 1]);
    },
  );

  void it('traces the SELECT of a list that a read worker thread ran', TIMEOUT, async () => {
    const http = new HttpClient(gateway.baseUrl);
    const t = new ScenarioContext(http, await tokenFor(http, '_superusers', SU.email, SU.password));
    await t.createCollection({ name: 'listed', ...OPEN_RULES, fields: [text('title')] });
    const requestId = 'otel-split-list-1';
    // a statement never run before goes to the read workers (records' NB_READ_WORKERS default: 2)
    const list = await http.request('GET', `${t.records('listed')}?filter=${encodeURIComponent("title~'x'")}`, {
      headers: { 'X-Request-Id': requestId },
    });
    assert.equal(list.status, 200, list.text);
    let root: ReceivedSpan | undefined;
    await waitUntil(
      () => (root = receiver.spans.find((sp) => sp.attributes['nestbase.request_id'] === requestId)) !== undefined,
      `a span of request ${requestId}`,
    );
    const inWorker = (sp: ReceivedSpan) =>
      sp.name === 'db SELECT' &&
      sp.attributes['nestbase.db.read_worker'] === true &&
      String(sp.attributes['db.query.text']).includes(t.col('listed'));
    try {
      await waitUntil(() => receiver.trace(root!.traceId).some(inWorker), "the read worker's db SELECT");
    } catch (error) {
      throw new Error(receiver.tree(root!.traceId), { cause: error });
    }
    const select = receiver.trace(root!.traceId).find(inWorker)!;
    const parent = receiver.spans.find((sp) => sp.spanId === select.parentSpanId);
    assert.deepEqual(
      [select.service, parent?.service, parent?.name],
      ['nestbase-records', 'nestbase-records', 'GET /api/collections/:collection/records'],
      receiver.tree(root!.traceId),
    );
  });

  void it("passes the gateway's request id and trace on a WebSocket upgrade to realtime", TIMEOUT, async () => {
    // an id the gateway refuses ("has space"): it makes one up, and realtime must log that one, not the client's
    const ws = new WebSocket(`${gateway.baseUrl.replace('http', 'ws')}/api/realtime`, {
      headers: { 'X-Request-Id': 'has space' },
    });
    const messages: string[] = [];
    ws.on('message', (data: Buffer) => messages.push(data.toString()));
    try {
      await waitUntil(() => messages.some((m) => m.includes('"connected"')), 'the connected message');
    } finally {
      ws.close();
    }
    let reqId = '';
    await waitUntil(() => {
      const line = jsonLines(gateway).find((l) => l.method === 'UPGRADE' && l.url === '/api/realtime');
      reqId = typeof line?.reqId === 'string' ? line.reqId : '';
      return reqId !== '';
    }, "the gateway's upgrade line");
    assert.notEqual(reqId, 'has space');
    await waitUntil(() => linesOf(realtime, reqId).length > 0, `realtime's line of ${reqId}`);
    const [rt] = linesOf(realtime, reqId);
    assert.deepEqual(
      [rt.service, rt.msg, rt.method, rt.route, rt.status],
      ['realtime', 'request', 'GET', '/api/realtime', 101],
      JSON.stringify(rt),
    );
    // the realtime request's span is a child of the gateway's hop, in one trace
    let server: ReceivedSpan | undefined;
    await waitUntil(
      () => (server = receiver.spans.find((sp) => sp.attributes['nestbase.request_id'] === reqId)) !== undefined,
      `realtime's span of ${reqId}`,
    );
    // each process exports its own batches: the gateway's span may come after realtime's
    let parent: ReceivedSpan | undefined;
    await waitUntil(
      () => (parent = receiver.spans.find((sp) => sp.spanId === server!.parentSpanId)) !== undefined,
      `the parent of realtime's span of ${reqId}`,
    ).catch(() => undefined);
    assert.deepEqual(
      [server!.service, parent?.service, parent?.name],
      ['nestbase-realtime', 'nestbase-gateway', 'proxy realtime'],
      receiver.tree(server!.traceId),
    );
  });
});

void describe('traces in the standalone process', () => {
  let dir = '';
  let receiver: OtlpReceiver;
  let server: ManagedProcess | undefined;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'nestbase-otel-standalone-'));
    receiver = await OtlpReceiver.start();
    // a minute: no read is slow enough for a span of its own here (writes and deliveries always get theirs)
    const env = {
      PB_ADMIN_EMAIL: SU.email,
      PB_ADMIN_PASSWORD: SU.password,
      NB_TRACE_MIN_MS: '60000',
      ...tracingEnv(receiver),
    };
    server = await startNestbase(dir, [], { env });
  }, TIMEOUT);

  after(async () => {
    await server?.stop();
    await receiver?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  void it('one record create is one trace: request → SQL → publish → delivery', TIMEOUT, async () => {
    const requestId = 'otel-standalone-create-1';
    const traceId = await createWithSubscriber(server!.baseUrl, receiver, requestId);
    await assertTrace(receiver, traceId, [
      'nestbase: POST /api/collections/:collection/records',
      'nestbase: db INSERT',
      'nestbase: publish record.created',
      'nestbase: receive record.created',
      'nestbase: deliver record.create',
    ]);
  });

  void it('counts quick reads on the span they ran under; an event nobody acts on adds no span', TIMEOUT, async () => {
    const http = new HttpClient(server!.baseUrl);
    const t = new ScenarioContext(http, await tokenFor(http, '_superusers', SU.email, SU.password));
    await t.createCollection({ name: 'tallied', ...OPEN_RULES, fields: [text('title')] });
    const created = await http.request('POST', t.records('tallied'), {
      body: { title: 'quiet' },
      headers: { 'X-Request-Id': 'otel-standalone-quiet-create' },
    });
    assert.equal(created.status, 200, created.text);
    const view = await http.request('GET', `${t.records('tallied')}/${created.json<{ id: string }>().id}`, {
      headers: { 'X-Request-Id': 'otel-standalone-view' },
    });
    assert.equal(view.status, 200, view.text);
    const serverSpan = async (requestId: string) => {
      let found: ReceivedSpan | undefined;
      await waitUntil(
        () => (found = receiver.spans.find((s) => s.attributes['nestbase.request_id'] === requestId)) !== undefined,
        `the span of request ${requestId}`,
      );
      return found!;
    };
    const viewed = await serverSpan('otel-standalone-view');
    assert.ok(Number(viewed.attributes['nestbase.db.statements']) >= 1, JSON.stringify(viewed.attributes));
    assert.equal(typeof viewed.attributes['nestbase.db.time_ms'], 'number', JSON.stringify(viewed.attributes));
    // the create's spans came before the view's: its trace is complete by now
    const create = await serverSpan('otel-standalone-quiet-create');
    const names = (traceId: string) => receiver.trace(traceId).map((s) => s.name);
    assert.deepEqual(
      names(viewed.traceId),
      ['GET /api/collections/:collection/records/:id'],
      receiver.tree(viewed.traceId),
    );
    assert.deepEqual(
      names(create.traceId).sort(),
      ['POST /api/collections/:collection/records', 'db INSERT'],
      receiver.tree(create.traceId),
    );
  });
});
