// Security issue 13, finding 2: realtime topics follow the records API's rules. A whole-collection topic
// (`coll/*`, the legacy `coll`, and the WebSocket's default "everything you may see") is a list and is checked
// against the listRule; `coll/RECORD_ID` against the viewRule. The share-by-link pattern (listRule owner-only,
// viewRule "") must not broadcast every record to every guest. One row per transport × auth × topic; each row
// creates, updates and deletes a record, then a sentinel record in an open collection proves delivery is done.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import WebSocket from 'ws';

import {
  HttpClient,
  LOCKED_RULES,
  OPEN_RULES,
  recordId,
  relation,
  RunningServer,
  ScenarioContext,
  startTestServer,
  TestUser,
  text,
  tokenFor,
} from '@lib/testing';

import { Collector, RawSse, RealtimeMessage, waitUntil } from './support/realtime-helpers';

let server: RunningServer;
let http: HttpClient;
let t: ScenarioContext;
const users: Record<'alice' | 'bob', TestUser> = {} as Record<'alice' | 'bob', TestUser>;

type Who = 'guest' | 'alice' | 'bob';
interface Row {
  name: string;
  transport: 'ws' | 'sse';
  who: Who;
  /** Topics with `ID` standing for the id of the record the row writes; null: the WebSocket default. */
  topics: string[] | null;
  /** The actions on `shared` this client must receive, in order. */
  expect: string[];
}

const ROWS: Row[] = [
  { name: 'WS guest, default subscription: nothing', transport: 'ws', who: 'guest', topics: null, expect: [] },
  { name: 'WS other user, default subscription: nothing', transport: 'ws', who: 'bob', topics: null, expect: [] },
  {
    name: 'WS owner, default subscription: create, update, delete',
    transport: 'ws',
    who: 'alice',
    topics: null,
    expect: ['create', 'update', 'delete'],
  },
  { name: 'WS guest, shared/*: nothing', transport: 'ws', who: 'guest', topics: ['shared/*'], expect: [] },
  { name: 'WS guest, legacy "shared": nothing', transport: 'ws', who: 'guest', topics: ['shared'], expect: [] },
  {
    name: 'WS guest, shared/ID (viewRule ""): create, update, delete',
    transport: 'ws',
    who: 'guest',
    topics: ['shared/ID'],
    expect: ['create', 'update', 'delete'],
  },
  { name: 'SSE guest, shared/*: nothing', transport: 'sse', who: 'guest', topics: ['shared/*'], expect: [] },
  { name: 'SSE other user, shared/*: nothing', transport: 'sse', who: 'bob', topics: ['shared/*'], expect: [] },
  {
    name: 'SSE owner, shared/*: create, update, delete',
    transport: 'sse',
    who: 'alice',
    topics: ['shared/*'],
    expect: ['create', 'update', 'delete'],
  },
  {
    name: 'SSE guest, shared/ID (viewRule ""): create, update, delete',
    transport: 'sse',
    who: 'guest',
    topics: ['shared/ID'],
    expect: ['create', 'update', 'delete'],
  },
];

const tokenOf = (who: Who): string | undefined => (who === 'guest' ? undefined : users[who].token);

interface Client {
  got: Collector;
  close: () => void;
}

async function openWs(who: Who, topics: string[] | null): Promise<Client> {
  const token = tokenOf(who);
  const ws = new WebSocket(`${server.baseUrl.replace('http', 'ws')}/api/realtime${token ? `?token=${token}` : ''}`);
  const got = new Collector();
  const control: Record<string, unknown>[] = [];
  ws.on('message', (data: Buffer) => {
    const body = JSON.parse(data.toString()) as Record<string, unknown>;
    (typeof body.type === 'string' ? control : got.items).push(body as never);
  });
  await waitUntil(() => control.some((c) => c.type === 'connected'), 'the connected message');
  if (topics) {
    ws.send(JSON.stringify({ type: 'subscribe', topics }));
    await waitUntil(() => control.some((c) => c.type === 'subscribed'), 'subscribe ack');
  }
  return { got, close: () => ws.terminate() };
}

async function openSse(who: Who, topics: string[]): Promise<Client> {
  const sse = await RawSse.open(server.baseUrl);
  const res = await http.request('POST', '/api/realtime', {
    body: { clientId: sse.clientId, subscriptions: topics },
    token: tokenOf(who),
  });
  assert.equal(res.status, 204, res.text);
  const got = new Collector();
  const timer = setInterval(() => {
    for (const frame of sse.frames.splice(1)) {
      got.push(frame.data as RealtimeMessage);
    }
  }, 10);
  return {
    got,
    close: () => {
      clearInterval(timer);
      sse.close();
    },
  };
}

/** The collection names of this file for topic strings. */
const topicsFor = (topics: string[], id: string): string[] =>
  topics.map((s) => s.replace('shared', t.col('shared')).replace('ID', id));

void describe('security: realtime topics follow the list and view rules', () => {
  before(async () => {
    server = await startTestServer(process.env);
    http = new HttpClient(server.baseUrl);
    t = new ScenarioContext(http, await tokenFor(http, '_superusers', server.superuserEmail, server.superuserPassword));
    const locked = await t.createCollection({ name: 'locked', ...LOCKED_RULES, fields: [text('title')] });
    await t.createCollection({
      name: 'shared',
      ...OPEN_RULES,
      listRule: 'owner = @request.auth.id',
      viewRule: '',
      fields: [text('title'), relation('owner', '_pb_users_auth_', { maxSelect: 1 })],
    });
    await t.createCollection({
      name: 'open',
      ...OPEN_RULES,
      fields: [text('title'), text('secret', { hidden: true }), relation('ref', locked.id, { maxSelect: 1 })],
    });
    users.alice = await t.makeUser();
    users.bob = await t.makeUser();
    t.vars.locked = (await t.createRecord('locked', { title: 'locked' })).id;
  });

  after(async () => {
    await server?.stop();
  });

  for (const row of ROWS) {
    void it(row.name, async () => {
      const id = recordId();
      const topics = row.topics && [...topicsFor(row.topics, id), `${t.col('open')}/*`];
      const client = row.transport === 'ws' ? await openWs(row.who, topics) : await openSse(row.who, topics ?? []);
      try {
        await t.createRecord('shared', { id, title: 'by link only', owner: users.alice.record.id });
        await t.su.expectOk('PATCH', t.records('shared', id), { title: 'by link only 2' });
        assert.equal((await t.su.delete(t.records('shared', id))).status, 204);
        const sentinel = await t.createRecord('open', { title: 'sentinel' });
        await client.got.find((m) => m.record.id === sentinel.id, 'the sentinel');
        const shared = client.got.items.filter((m) => m.record.id === id);
        assert.deepEqual(
          shared.map((m) => m.action),
          row.expect,
          `messages of the shared record: ${JSON.stringify(shared)}`,
        );
      } finally {
        client.close();
      }
    });
  }

  void it('payloads: hidden fields, and expand through a locked collection never reach a guest', async () => {
    const topic = `${t.col('open')}/*?options=${encodeURIComponent(JSON.stringify({ query: { expand: 'ref' } }))}`;
    for (const client of [await openWs('guest', [topic]), await openSse('guest', [topic])]) {
      try {
        const rec = await t.createRecord('open', { title: 'x', secret: 'hidden-value', ref: t.vars.locked });
        const m = await client.got.find((x) => x.record.id === rec.id, 'the open record');
        assert.equal(m.record.secret, undefined, 'hidden field sent');
        assert.equal(m.record.ref, t.vars.locked, 'the relation id itself is a plain field');
        assert.equal((m.record.expand as Record<string, unknown> | undefined)?.ref, undefined, 'expand past viewRule');
      } finally {
        client.close();
      }
    }
  });
});
