// Two standalone processes on one data dir and a real redis-server (REDIS_URL): a change made
// through process A reaches SSE and WebSocket clients connected to process B, and a subscription
// POST that lands on A reaches the client held by B over the bus (no sticky sessions).
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';

import WebSocket from 'ws';

import {
  HttpClient,
  ManagedProcess,
  OWNER_RULES,
  relation,
  ScenarioContext,
  startNestbase,
  TEST_CEILING_MS,
  TestUser,
  text,
  tokenFor,
} from '@lib/testing';

import { Collector, RawSse, RealtimeMessage, waitUntil } from './support/realtime-helpers';
import { RedisServer } from './support/redis-server';

const SU = { email: 'redis-su@example.com', password: 'Redis-Superuser-Passw0rd' };
const TIMEOUT = { timeout: TEST_CEILING_MS };

let dir = '';
let redis: RedisServer | undefined;
let a: ManagedProcess | undefined;
let b: ManagedProcess | undefined;
let t: ScenarioContext;
let alice: TestUser;

void describe('realtime across two processes through Redis', () => {
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'nestbase-rt-redis-'));
    const env = {
      REDIS_URL: (redis = await RedisServer.start()).url,
      PB_ADMIN_EMAIL: SU.email,
      PB_ADMIN_PASSWORD: SU.password,
    };
    a = await startNestbase(dir, [], { env });
    b = await startNestbase(dir, [], { env });
    const http = new HttpClient(a.baseUrl);
    t = new ScenarioContext(http, await tokenFor(http, '_superusers', SU.email, SU.password));
    await t.createCollection({
      name: 'todos',
      ...OWNER_RULES,
      fields: [text('title'), relation('owner', '_pb_users_auth_')],
    });
    alice = await t.makeUser();
  }, TIMEOUT);

  after(async () => {
    await Promise.allSettled([a?.stop(), b?.stop()]);
    await redis?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  void it('SSE on B, subscription POSTed to A, change made through A', TIMEOUT, async () => {
    assert.ok(a && b);
    const sse = await RawSse.open(b.baseUrl);
    try {
      const topic = `${t.col('todos')}/*`;
      const res = await new HttpClient(a.baseUrl).request('POST', '/api/realtime', {
        body: { clientId: sse.clientId, subscriptions: [topic] },
        token: alice.token,
      });
      assert.equal(res.status, 204, res.text);
      const mine = await t.createRecord('todos', { title: 'via A', owner: alice.record.id });
      await t.createRecord('todos', { title: 'not hers', owner: (await t.makeUser()).record.id });
      await waitUntil(() => sse.frames.length >= 2, 'the create on B');
      assert.deepEqual(
        sse.frames.slice(1).map((f) => [f.id, f.event, (f.data as RealtimeMessage).record.id]),
        [[sse.clientId, topic, mine.id]],
      );
    } finally {
      sse.close();
    }
  });

  void it('an unknown client id POSTed to A is a 404 after asking the other instances', TIMEOUT, async () => {
    assert.ok(a);
    const res = await new HttpClient(a.baseUrl).request('POST', '/api/realtime', {
      body: { clientId: 'unknown-client-id', subscriptions: [] },
    });
    assert.equal(res.status, 404);
  });

  void it('a WebSocket on B receives a change made through A', TIMEOUT, async () => {
    assert.ok(b);
    const ws = new WebSocket(`${b.baseUrl.replace('http', 'ws')}/api/realtime?token=${alice.token}`);
    const got = new Collector();
    let connected = false;
    ws.on('message', (data: Buffer) => {
      const body = JSON.parse(data.toString()) as Record<string, unknown>;
      if (body.type === 'connected') {
        connected = true;
      } else if (!body.type) {
        got.push(body as unknown as RealtimeMessage);
      }
    });
    try {
      await waitUntil(() => connected, 'WS connected');
      const rec = await t.createRecord('todos', { title: 'ws via A', owner: alice.record.id });
      const m = await got.find((x) => x.record.id === rec.id, 'the WS message');
      assert.equal(m.action, 'create');
    } finally {
      ws.terminate();
    }
  });
});
