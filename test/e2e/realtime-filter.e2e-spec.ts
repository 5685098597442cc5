// The subscription `filter` option (reference §8.3): it must match too; hidden fields are not filterable there
// for anyone, superusers included; `@request` is allowed for superusers only. Violations drop silently.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

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

import { RawSse, RealtimeMessage, waitUntil } from './support/realtime-helpers';

let server: RunningServer | undefined;
let http: HttpClient;
let t: ScenarioContext;
let su = '';
let alice: TestUser;

interface Row {
  name: string;
  who: 'superuser' | 'user';
  filter: string;
  delivered: boolean;
}

const ROWS: Row[] = [
  { name: 'superuser, visible field', who: 'superuser', filter: 'title = "match"', delivered: true },
  { name: 'superuser, hidden field', who: 'superuser', filter: 'secret = "s3cr3t"', delivered: false },
  {
    name: 'superuser, hidden field in an OR',
    who: 'superuser',
    filter: 'title = "x" || secret != ""',
    delivered: false,
  },
  {
    name: 'superuser, hidden field through a relation',
    who: 'superuser',
    filter: 'owner.tokenKey != ""',
    delivered: false,
  },
  { name: 'superuser, @request', who: 'superuser', filter: '@request.auth.id != ""', delivered: true },
  { name: 'user, visible field', who: 'user', filter: 'title = "match"', delivered: true },
  { name: 'user, hidden field', who: 'user', filter: 'secret = "s3cr3t"', delivered: false },
  { name: 'user, @request', who: 'user', filter: '@request.auth.id != ""', delivered: false },
];

void describe('realtime: the filter option', () => {
  before(async () => {
    server = await startTestServer(process.env);
    http = new HttpClient(server.baseUrl);
    su = await tokenFor(http, '_superusers', server.superuserEmail, server.superuserPassword);
    t = new ScenarioContext(http, su);
    await t.createCollection({
      name: 'docs',
      ...OPEN_RULES,
      fields: [
        text('title'),
        { name: 'secret', type: 'text', hidden: true },
        { name: 'owner', type: 'relation', collectionId: '_pb_users_auth_', maxSelect: 1 },
      ],
    });
    // Every stream also subscribes here: a marker record after the one under test bounds the wait.
    await t.createCollection({ name: 'marks', ...OPEN_RULES, fields: [text('title')] });
    alice = await t.makeUser();
  });

  after(async () => {
    await server?.stop();
  });

  void it('delivers exactly the rows whose filter passes', async () => {
    assert.ok(server);
    const streams: RawSse[] = [];
    try {
      for (const row of ROWS) {
        const sse = await RawSse.open(server.baseUrl);
        streams.push(sse);
        const options = encodeURIComponent(JSON.stringify({ query: { filter: row.filter } }));
        const res = await http.request('POST', '/api/realtime', {
          body: {
            clientId: sse.clientId,
            subscriptions: [`${t.col('docs')}/*?options=${options}`, `${t.col('marks')}/*`],
          },
          token: row.who === 'superuser' ? su : alice.token,
        });
        assert.equal(res.status, 204, res.text);
      }
      const rec = await t.createRecord('docs', { title: 'match', secret: 's3cr3t', owner: alice.record.id });
      // Each client gets its events in commit order: once the marker is in, so is every delivery of `rec`.
      const marker = await t.createRecord('marks', { title: 'marker' });
      const marked = (sse: RawSse) => sse.frames.some((f) => (f.data as RealtimeMessage).record?.id === marker.id);
      await waitUntil(() => streams.every(marked), 'the marker on every stream');
      assert.deepEqual(
        ROWS.map((row, i) => ({
          name: row.name,
          delivered: streams[i].frames.slice(1).some((f) => (f.data as RealtimeMessage).record.id === rec.id),
        })),
        ROWS.map((row) => ({ name: row.name, delivered: row.delivered })),
      );
    } finally {
      streams.forEach((s) => s.close());
    }
  });
});
