// The wire protocols without the SDK: PocketBase's SSE (headers, ids, POST errors, auth binding) and
// the tutorial's WebSocket (`?token=`, every listable record by default, subscribe/unsubscribe, ping).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import WebSocket from 'ws';

import {
  HttpClient,
  OPEN_RULES,
  OWNER_RULES,
  RunningServer,
  ScenarioContext,
  TestUser,
  relation,
  startTestServer,
  text,
  tokenFor,
} from '@lib/testing';

import { Collector, RawSse, RealtimeMessage, waitUntil } from './support/realtime-helpers';

let server: RunningServer | undefined;
let http: HttpClient;
let t: ScenarioContext;
let alice: TestUser;
let bob: TestUser;
const sockets: WebSocket[] = [];

/**
 * Whether an event is of a collection this file made: a WebSocket with no subscription gets every collection's
 * events, and on a shared deployment (NB_TEST_BASE_URL) other files' open collections have events too.
 */
function ownCollection(body: Record<string, unknown>): boolean {
  const name = (body.record as { collectionName?: unknown } | undefined)?.collectionName;
  return typeof name === 'string' && Object.values(t.collections).some((c) => c.name === name);
}

async function connectWs(
  query: string,
  headers: Record<string, string> = {},
): Promise<{ ws: WebSocket; got: Collector; control: Record<string, unknown>[] }> {
  assert.ok(server);
  const ws = new WebSocket(`${server.baseUrl.replace('http', 'ws')}/api/realtime${query}`, { headers });
  sockets.push(ws);
  const got = new Collector();
  const control: Record<string, unknown>[] = [];
  ws.on('message', (data: Buffer) => {
    const body = JSON.parse(data.toString()) as Record<string, unknown>;
    if (typeof body.type === 'string') {
      control.push(body);
    } else if (ownCollection(body)) {
      got.push(body as unknown as RealtimeMessage);
    }
  });
  await waitUntil(() => control.some((c) => c.type === 'connected'), 'the connected message');
  return { ws, got, control };
}

async function post(body: unknown, token?: string): Promise<{ status: number; json: Record<string, unknown> }> {
  const res = await http.request('POST', '/api/realtime', { body, token });
  return { status: res.status, json: res.text ? res.json<Record<string, unknown>>() : {} };
}

void describe('realtime wire protocols', () => {
  before(async () => {
    server = await startTestServer(process.env);
    http = new HttpClient(server.baseUrl);
    const su = await tokenFor(http, '_superusers', server.superuserEmail, server.superuserPassword);
    t = new ScenarioContext(http, su);
    await t.createCollection({
      name: 'todos',
      ...OWNER_RULES,
      fields: [text('title'), relation('owner', '_pb_users_auth_')],
    });
    // Open: every client gets its records, which makes them markers that bound a wait for "nothing came".
    await t.createCollection({ name: 'pubs', ...OPEN_RULES, fields: [text('title')] });
    alice = await t.makeUser();
    bob = await t.makeUser();
  });

  after(async () => {
    sockets.forEach((ws) => ws.terminate());
    await server?.stop();
  });

  void it('SSE: headers, PB_CONNECT, the clientId as the id of every message', async () => {
    assert.ok(server);
    const sse = await RawSse.open(server.baseUrl);
    try {
      assert.equal(sse.status, 200);
      assert.match(sse.headers.get('content-type') ?? '', /^text\/event-stream/);
      assert.equal(sse.headers.get('cache-control'), 'no-store');
      assert.equal(sse.headers.get('x-accel-buffering'), 'no');
      assert.equal(sse.frames[0].event, 'PB_CONNECT');
      assert.match(sse.clientId, /^[A-Za-z0-9]{40}$/);
      const topic = `${t.col('todos')}/*?options=${encodeURIComponent(JSON.stringify({ query: { fields: 'id,title' } }))}`;
      assert.equal((await post({ clientId: sse.clientId, subscriptions: [topic] }, alice.token)).status, 204);
      const rec = await t.createRecord('todos', { title: 'x', owner: alice.record.id });
      await waitUntil(() => sse.frames.length > 1, 'the create message');
      assert.deepEqual(sse.frames[1], {
        id: sse.clientId,
        event: topic,
        data: { action: 'create', record: { id: rec.id, title: 'x' } },
      });
    } finally {
      sse.close();
    }
  });

  void it('SSE POST: 404 unknown client, 400 bad body, guest → auth allowed, other auth changes 403', async () => {
    assert.ok(server);
    const sse = await RawSse.open(server.baseUrl);
    try {
      const unknown = await post({ clientId: 'x'.repeat(40), subscriptions: [] });
      assert.deepEqual(unknown, {
        status: 404,
        json: { status: 404, message: 'Missing or invalid client id.', data: {} },
      });
      assert.equal((await post({ subscriptions: [] })).status, 400);
      assert.equal((await post({ clientId: sse.clientId, subscriptions: 'nope' })).status, 400);
      assert.equal((await post({ clientId: sse.clientId, subscriptions: Array(1001).fill('a') })).status, 400);
      assert.equal((await post({ clientId: sse.clientId, subscriptions: [] })).status, 204);
      assert.equal((await post({ clientId: sse.clientId, subscriptions: [] }, alice.token)).status, 204);
      assert.equal((await post({ clientId: sse.clientId, subscriptions: [] }, alice.token)).status, 204);
      const other = await post({ clientId: sse.clientId, subscriptions: [] }, bob.token);
      assert.equal(other.status, 403);
      assert.equal(other.json.message, "The current and the previous request authorization don't match.");
      assert.equal((await post({ clientId: sse.clientId, subscriptions: [] })).status, 403);
    } finally {
      sse.close();
    }
  });

  void it('WS ?token=: create/update/delete of own todos, nothing of others', async () => {
    const { got } = await connectWs(`?token=${alice.token}`);
    const mine = await t.createRecord('todos', { title: 'mine', owner: alice.record.id });
    const theirs = await t.createRecord('todos', { title: 'theirs', owner: bob.record.id });
    await t.su.patch(t.records('todos', mine.id), { title: 'mine 2' });
    await t.su.delete(t.records('todos', mine.id));
    const items = await got.count(3, 'three messages');
    assert.deepEqual(
      items.map((m) => [m.action, m.record.id, m.topic]),
      [
        ['create', mine.id, `${t.col('todos')}/*`],
        ['update', mine.id, `${t.col('todos')}/*`],
        ['delete', mine.id, `${t.col('todos')}/*`],
      ],
    );
    // No wait needed: events reach a client in commit order, and bob's todo was committed before the delete.
    assert.ok(!got.items.some((m) => m.record.id === theirs.id), 'alice received a todo of bob');
  });

  void it('WS: Authorization header, subscribe narrows, unsubscribe stops, ping/pong', async () => {
    const { ws, got, control } = await connectWs('', { Authorization: bob.token });
    const a = await t.createRecord('todos', { title: 'a', owner: bob.record.id });
    await got.find((m) => m.record.id === a.id, 'default subscription');
    const b = await t.createRecord('todos', { title: 'b', owner: bob.record.id });
    ws.send(JSON.stringify({ type: 'subscribe', topics: [`${t.col('todos')}/${b.id}`] }));
    await waitUntil(() => control.some((c) => c.type === 'subscribed'), 'subscribe ack');
    await t.createRecord('todos', { title: 'c', owner: bob.record.id });
    await t.su.patch(t.records('todos', b.id), { title: 'b 2' });
    await got.find((m) => m.record.title === 'b 2', 'record topic update');
    assert.ok(!got.items.some((m) => m.record.title === 'c'), 'a narrowed client got another record');
    ws.send(JSON.stringify({ type: 'unsubscribe', topics: [] }));
    ws.send(JSON.stringify({ type: 'ping' }));
    await waitUntil(() => control.some((c) => c.type === 'pong'), 'pong');
    const before = got.items.length;
    await t.su.patch(t.records('todos', b.id), { title: 'b 3' });
    // A marker on a topic 'b 3' can't match, subscribed after it was published: events come in commit order.
    const acks = control.filter((c) => c.type === 'subscribed').length;
    ws.send(JSON.stringify({ type: 'subscribe', topics: [`${t.col('pubs')}/*`] }));
    await waitUntil(() => control.filter((c) => c.type === 'subscribed').length > acks, 'the marker subscription');
    await got.fence(() => t.createRecord('pubs', { title: 'marker' }));
    assert.equal(got.items.length, before);
  });

  void it('WS without a token sees nothing behind owner rules', async () => {
    const { got } = await connectWs('?token=not-a-jwt');
    await t.createRecord('todos', { title: 'hidden', owner: alice.record.id });
    await got.fence(() => t.createRecord('pubs', { title: 'marker' }));
    assert.equal(got.items.length, 0);
  });
});
