// Live auth changes on open realtime connections (SSE and the tutorial's WebSocket): an expired token stops
// receiving, a changed authToken secret or a deleted auth collection turns every client of that collection
// into a guest, while a client of another collection keeps receiving.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import WebSocket from 'ws';

import {
  HttpClient,
  OPEN_RULES,
  RunningServer,
  ScenarioContext,
  TestUser,
  startTestServer,
  text,
  tokenFor,
} from '@lib/testing';

import { Collector, RawSse, RealtimeMessage, waitUntil } from './support/realtime-helpers';

let server: RunningServer | undefined;
let http: HttpClient;
let t: ScenarioContext;
let control: TestUser;
const closers: (() => void)[] = [];
const SIGNED_IN = { listRule: '@request.auth.id != ""', viewRule: '@request.auth.id != ""' };

interface Listener {
  got: Collector;
  /** Ids of the notes received. */
  ids(): unknown[];
  /** Ids of every record received (notes and beacons). */
  all(): unknown[];
}

const recordsOf = (items: RealtimeMessage[], collection?: string): unknown[] =>
  items.filter((m) => !collection || m.record.collectionName === collection).map((m) => m.record.id);

/** An SSE client subscribed to `notes/*` and `beacons/*` with `token` and a WebSocket with `?token=`. */
async function listen(token: string): Promise<{ sse: Listener; ws: Listener }> {
  assert.ok(server);
  const raw = await RawSse.open(server.baseUrl);
  closers.push(() => raw.close());
  const res = await http.request('POST', '/api/realtime', {
    body: { clientId: raw.clientId, subscriptions: [`${t.col('notes')}/*`, `${t.col('beacons')}/*`] },
    token,
  });
  assert.equal(res.status, 204, res.text);
  const sseGot = new Collector();
  const frames = () => raw.frames.slice(1).map((f) => f.data as RealtimeMessage);
  const sse: Listener = {
    got: sseGot,
    ids: () => recordsOf(frames(), t.col('notes')),
    all: () => recordsOf(frames()),
  };
  const socket = new WebSocket(`${server.baseUrl.replace('http', 'ws')}/api/realtime?token=${token}`);
  closers.push(() => socket.terminate());
  const wsGot = new Collector();
  let connected = false;
  socket.on('message', (data: Buffer) => {
    const body = JSON.parse(data.toString()) as Record<string, unknown>;
    if (body.type === 'connected') {
      connected = true;
    } else if (!body.type) {
      wsGot.push(body as unknown as RealtimeMessage);
    }
  });
  await waitUntil(() => connected, 'WS connected');
  const ws = { got: wsGot, ids: () => recordsOf(wsGot.items, t.col('notes')), all: () => recordsOf(wsGot.items) };
  return { sse, ws };
}

/**
 * Creates a note, then a public beacon, and waits until every listener got the beacon: each connection
 * receives in publication order, so by then it has received the note too if it was going to.
 */
async function note(listeners: Listener[], title: string): Promise<string> {
  const rec = await t.createRecord('notes', { title });
  const beacon = await t.createRecord('beacons', { title });
  for (const listener of listeners) {
    await waitUntil(() => listener.all().includes(beacon.id), `the beacon after "${title}"`);
  }
  return rec.id;
}

void describe('realtime: live auth changes', () => {
  let controlWs: Listener;

  before(async () => {
    server = await startTestServer(process.env);
    http = new HttpClient(server.baseUrl);
    t = new ScenarioContext(http, await tokenFor(http, '_superusers', server.superuserEmail, server.superuserPassword));
    await t.createCollection({ name: 'notes', ...SIGNED_IN, fields: [text('title')] });
    await t.createCollection({ name: 'beacons', ...OPEN_RULES, fields: [text('title')] });
    control = await t.makeUser();
    controlWs = (await listen(control.token)).ws;
  });

  after(async () => {
    closers.forEach((close) => close());
    await server?.stop();
  });

  void it('a token that expires stops receiving (SSE and WebSocket)', async () => {
    assert.ok(server);
    const user = await t.makeUser();
    // A 2-minute token, then the server's clock moved past its exp: no wait, however slow the machine.
    const url = `/api/collections/users/impersonate/${user.record.id}`;
    const res = await t.su.expectOk<{ token: string }>('POST', url, { duration: 120 });
    const { sse, ws } = await listen(res.token);
    const first = await note([controlWs, sse, ws], 'before expiry');
    assert.deepEqual([sse.ids(), ws.ids()], [[first], [first]]);
    await server.advanceClock(121_000);
    await note([controlWs, sse, ws], 'after expiry');
    assert.deepEqual([sse.ids(), ws.ids()], [[first], [first]]);
  });

  void it('a new authToken secret turns every client of that collection into a guest', async () => {
    const members = await t.createCollection({ name: 'members', type: 'auth', fields: [] });
    const member = await t.makeUser({}, 'members');
    const { sse, ws } = await listen(member.token);
    const first = await note([controlWs, sse, ws], 'before the secret change');
    assert.deepEqual([sse.ids(), ws.ids()], [[first], [first]]);
    await t.su.expectOk('PATCH', `/api/collections/${members.id}`, { authToken: { secret: 'S'.repeat(50) } });
    await note([controlWs, sse, ws], 'after the secret change');
    assert.deepEqual([sse.ids(), ws.ids()], [[first], [first]]);
  });

  void it('deleting the auth collection turns its clients into guests', async () => {
    const staff = await t.createCollection({ name: 'staff', type: 'auth', fields: [] });
    const member = await t.makeUser({}, 'staff');
    const { sse, ws } = await listen(member.token);
    const first = await note([controlWs, sse, ws], 'before the collection delete');
    assert.deepEqual([sse.ids(), ws.ids()], [[first], [first]]);
    const res = await t.su.delete(`/api/collections/${staff.id}`);
    assert.equal(res.status, 204, res.text);
    await note([controlWs, sse, ws], 'after the collection delete');
    assert.deepEqual([sse.ids(), ws.ids()], [[first], [first]]);
  });
});
