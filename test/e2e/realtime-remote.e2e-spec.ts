// A realtime process with no database (`--records <url>`, no `--dir`, started in an empty directory) beside a
// records process and a real redis-server: SSE and WebSocket clients on the realtime process receive changes
// made through the records process, with a joined rule (`todo.owner = @request.auth.id`) and `expand` decided
// by the records service's internal endpoints; those refuse callers without NB_INTERNAL_SECRET.
import assert from 'node:assert/strict';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';

import WebSocket from 'ws';

import {
  freePort,
  HttpClient,
  makeUserInput,
  ManagedProcess,
  OWNER_RULES,
  relation,
  repoRoot,
  ScenarioContext,
  startNestbase,
  startProcess,
  startRecordsApp,
  TEST_CEILING_MS,
  text,
  tokenFor,
  waitForHealth,
} from '@lib/testing';

import { Collector, probeUntil, RawSse, RealtimeMessage, startRedis, waitUntil } from './support/realtime-helpers';

const SU = { email: 'remote-su@example.com', password: 'Remote-Superuser-Passw0rd' };
const SECRET = 'internal-secret-for-the-remote-test';
const TIMEOUT = { timeout: TEST_CEILING_MS };

let dataDir = '';
let emptyCwd = '';
let redis: { stop: () => void } | undefined;
let records: ManagedProcess | undefined;
let authServer: ManagedProcess | undefined;
let realtime: ManagedProcess | undefined;
let realtimeUrl = '';
let t: ScenarioContext;
let alice: RemoteUser;
let bob: RemoteUser;

interface RemoteUser {
  id: string;
  token: string;
}

/** A user created through the records process, logged in through the server standing in for the auth service. */
async function makeUser(): Promise<RemoteUser> {
  assert.ok(authServer);
  const input = makeUserInput({ verified: true });
  const rec = await t.su.expectOk<{ id: string }>('POST', '/api/collections/users/records', input);
  const token = await tokenFor(
    new HttpClient(authServer.baseUrl),
    'users',
    String(input.email),
    String(input.password),
  );
  return { id: rec.id, token };
}

/** `node dist/apps/realtime/src/main.js --records <url>` started in `cwd`, healthy on return. */
async function startRealtimeRemote(recordsUrl: string, env: Record<string, string>, cwd: string): Promise<string> {
  const port = await freePort();
  const root = repoRoot();
  const main = join(root, 'dist', 'apps', 'realtime', 'src', 'main.js');
  const args = ['-r', join(root, 'scripts', 'paths.js'), main, '--http', `127.0.0.1:${port}`, '--records', recordsUrl];
  // NB_DIR names a directory that must stay absent: the realtime app has no database
  const noDir = { NB_DIR: join(cwd, 'pb_data') };
  realtime = startProcess(args, { env: { ...env, ...noDir, NB_LOG_LEVEL: 'warn' } }, `http://127.0.0.1:${port}`);
  await waitForHealth(realtime.baseUrl, 60_000, realtime.child, () => `${realtime?.stdout()}\n${realtime?.stderr()}`);
  return realtime.baseUrl;
}

void describe('realtime without a database, through the records service', () => {
  before(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'nestbase-rt-remote-'));
    emptyCwd = await mkdtemp(join(tmpdir(), 'nestbase-rt-remote-cwd-'));
    const bus = await startRedis(await freePort());
    redis = bus;
    const env = {
      REDIS_URL: bus.url,
      NB_INTERNAL_SECRET: SECRET,
      PB_ADMIN_EMAIL: SU.email,
      PB_ADMIN_PASSWORD: SU.password,
    };
    records = await startRecordsApp(dataDir, { env });
    // stands in for the auth service (logins); every change below goes through the records process
    authServer = await startNestbase(dataDir, [], {
      env: { PB_ADMIN_EMAIL: SU.email, PB_ADMIN_PASSWORD: SU.password },
    });
    realtimeUrl = await startRealtimeRemote(
      records.baseUrl,
      { REDIS_URL: bus.url, NB_INTERNAL_SECRET: SECRET },
      emptyCwd,
    );
    const su = await tokenFor(new HttpClient(authServer.baseUrl), '_superusers', SU.email, SU.password);
    t = new ScenarioContext(new HttpClient(records.baseUrl), su);
    await t.createCollection({
      name: 'todos',
      ...OWNER_RULES,
      fields: [text('title'), relation('owner', '_pb_users_auth_')],
    });
    const joined = 'todo.owner = @request.auth.id';
    await t.createCollection({
      name: 'comments',
      listRule: joined,
      viewRule: joined,
      fields: [text('text'), relation('todo', t.id('todos'))],
    });
    alice = await makeUser();
    bob = await makeUser();
  }, TIMEOUT);

  after(async () => {
    await Promise.allSettled([realtime?.stop(), records?.stop(), authServer?.stop()]);
    redis?.stop();
    await rm(dataDir, { recursive: true, force: true });
    await rm(emptyCwd, { recursive: true, force: true });
  });

  void it('the internal endpoints refuse callers without the secret', async () => {
    assert.ok(records);
    const http = new HttpClient(records.baseUrl);
    assert.equal((await http.request('GET', '/api/_internal/collections')).status, 403);
    const wrong = await http.request('GET', '/api/_internal/collections', {
      headers: { 'x-nestbase-internal': 'nope' },
    });
    assert.equal(wrong.status, 403);
    const right = await http.request('GET', '/api/_internal/collections', {
      headers: { 'x-nestbase-internal': SECRET },
    });
    assert.equal(right.status, 200);
    const headers = { 'x-nestbase-internal': SECRET };
    for (const body of [{}, { entries: 'x' }, { entries: [{ id: '../x', level: 0 }] }, { entries: [null] }]) {
      const bad = await http.request('POST', '/api/_internal/logs', { headers, body });
      assert.equal(bad.status, 400, JSON.stringify(body));
    }
  });

  void it('collections/since: every id in order, and only the definitions that moved', async () => {
    const http = new HttpClient(records!.baseUrl);
    const headers = { 'x-nestbase-internal': SECRET };
    const all = (await http.request('GET', '/api/_internal/collections', { headers })).json<{
      collections: { id: string; name: string; updated: string; listRule: string | null }[];
    }>().collections;
    const known = Object.fromEntries(all.map((c) => [c.id, c.updated]));
    const since = async (body: unknown) => http.request('POST', '/api/_internal/collections/since', { headers, body });
    const same = (await since({ known })).json<{ ids: string[]; changed: unknown[] }>();
    assert.deepEqual(same, { ids: all.map((c) => c.id), changed: [] });
    const todos = all.find((c) => c.name === t.col('todos'))!;
    await t.su.expectOk('PATCH', `/api/collections/${todos.id}`, { listRule: '@request.auth.id != ""' });
    const moved = (await since({ known })).json<{ ids: string[]; changed: { id: string; listRule: string }[] }>();
    assert.deepEqual(moved.ids, same.ids);
    assert.deepEqual(
      moved.changed.map((c) => [c.id, c.listRule]),
      [[todos.id, '@request.auth.id != ""']],
    );
    const { [todos.id]: _dropped, ...withoutTodos } = known;
    const unknown = (await since({ known: withoutTodos })).json<{ changed: { id: string }[] }>();
    assert.deepEqual(
      unknown.changed.map((c) => c.id),
      [todos.id],
    );
    for (const body of [{}, { known: 'x' }, { known: [1] }]) {
      assert.equal((await since(body)).status, 400, JSON.stringify(body));
    }
    assert.equal((await http.request('POST', '/api/_internal/collections/since', { body: { known } })).status, 403);
    await t.su.expectOk('PATCH', `/api/collections/${todos.id}`, { listRule: todos.listRule });
  });

  void it(
    'SSE and WebSocket clients get changes made through the records process, joined rule checked remotely',
    TIMEOUT,
    async () => {
      const aliceTodo = await t.createRecord('todos', { title: 'a', owner: alice.id });
      const bobTodo = await t.createRecord('todos', { title: 'b', owner: bob.id });
      // The realtime process learns of the new collections over the bus (collection.changed): ready once a
      // superuser subscribed to comments receives a probe comment (a new one each round until it does).
      const probe = await RawSse.open(realtimeUrl);
      const probing = await new HttpClient(realtimeUrl).request('POST', '/api/realtime', {
        body: { clientId: probe.clientId, subscriptions: [`${t.col('comments')}/*`] },
        token: t.su.token,
      });
      assert.equal(probing.status, 204, probing.text);
      const probeComment = () => t.createRecord('comments', { text: 'probe', todo: bobTodo.id });
      await probeUntil(probeComment, () => probe.frames.length > 1, 'the realtime process');
      probe.close();
      const sse = await RawSse.open(realtimeUrl);
      const options = encodeURIComponent(JSON.stringify({ query: { expand: 'todo' } }));
      const topic = `${t.col('comments')}/*?options=${options}`;
      const posted = await new HttpClient(realtimeUrl).request('POST', '/api/realtime', {
        body: { clientId: sse.clientId, subscriptions: [topic] },
        token: alice.token,
      });
      assert.equal(posted.status, 204, posted.text);
      const ws = new WebSocket(`${realtimeUrl.replace('http', 'ws')}/api/realtime?token=${bob.token}`);
      const wsGot = new Collector();
      let connected: Record<string, unknown> | undefined;
      ws.on('message', (data: Buffer) => {
        const body = JSON.parse(data.toString()) as Record<string, unknown>;
        if (body.type === 'connected') {
          connected = body;
        } else if (!body.type) {
          wsGot.push(body as unknown as RealtimeMessage);
        }
      });
      try {
        await waitUntil(() => connected !== undefined, 'WS connected');
        assert.equal(connected?.auth, bob.id, 'the token was verified without a database');
        const forAlice = await t.createRecord('comments', { text: 'for alice', todo: aliceTodo.id });
        const forBob = await t.createRecord('comments', { text: 'for bob', todo: bobTodo.id });
        await wsGot.find((m) => m.record.id === forBob.id, "bob's comment on the WebSocket");
        await waitUntil(() => sse.frames.length >= 2, "alice's comment on SSE");
        // Nothing else may come: a last comment for each, delivered in order after anything still on its way.
        const lastA = await t.createRecord('comments', { text: 'last', todo: aliceTodo.id });
        const lastB = await t.createRecord('comments', { text: 'last', todo: bobTodo.id });
        await wsGot.find((m) => m.record.id === lastB.id, "bob's last comment");
        await waitUntil(() => sse.frames.some((f) => (f.data as RealtimeMessage).record?.id === lastA.id), 'last');
        const last = (m: RealtimeMessage) => m.record.id === lastA.id || m.record.id === lastB.id;
        wsGot.items.splice(wsGot.items.findIndex(last), 1);
        const sseRecords = sse.frames
          .slice(1)
          .map((f) => (f.data as RealtimeMessage).record)
          .filter((r) => r.id !== lastA.id);
        assert.deepEqual(
          sseRecords.map((r) => [r.id, (r.expand as { todo?: { id: string } } | undefined)?.todo?.id]),
          [[forAlice.id, aliceTodo.id]],
        );
        assert.deepEqual(
          wsGot.items.map((m) => [m.action, m.record.id]),
          [['create', forBob.id]],
        );
      } finally {
        sse.close();
        ws.terminate();
      }
    },
  );

  void it('its requests reach the request logs through the records service; internal calls are not logged', async () => {
    const clientId = `no-such-client-${Date.now()}`;
    const http = new HttpClient(realtimeUrl);
    const answer = await http.request('POST', '/api/realtime', { body: { clientId, subscriptions: [] } });
    assert.equal(answer.status, 404);
    const filter = encodeURIComponent(`data.url = '/api/realtime' && data.status = 404 && data.method = 'POST'`);
    let logged: { items: { level: number; data: Record<string, unknown> }[] } = { items: [] };
    await probeUntil(
      async () => {
        logged = await t.su.expectOk('GET', `/api/logs?filter=${filter}`);
      },
      () => logged.items.length > 0,
      'the realtime request in GET /api/logs',
    );
    assert.equal(logged.items[0].level, 8);
    assert.equal(logged.items[0].data.type, 'request');
    const internal = await t.su.expectOk<{ totalItems: number }>(
      'GET',
      `/api/logs?filter=${encodeURIComponent("data.url ~ '/api/_internal/'")}`,
    );
    assert.equal(internal.totalItems, 0);
  });

  void it('the realtime process made no data directory (NB_DIR stays absent)', async () => {
    assert.deepEqual(await readdir(emptyCwd), []);
  });
});
