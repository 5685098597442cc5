// Two realtime processes behind one Redis (a real redis-server on a free port) beside a records process:
// realtime A reads the shared data directory, realtime B has no database (`--records <url>`). An SSE client
// held by A has its subscriptions POSTed to B (forwarded over the bus, no sticky sessions), receives its own
// records created through the records process and never another user's, and stops receiving once an
// unsubscribe is POSTed to B; a WebSocket client on B receives a change made through the records process.
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

import { Collector, RawSse, RealtimeMessage, WAIT_CEILING_MS, waitUntil } from './support/realtime-helpers';
import { RedisServer } from './support/redis-server';

const SU = { email: 'cluster-su@example.com', password: 'Cluster-Superuser-Passw0rd' };
const SECRET = 'internal-secret-for-the-cluster-test';
const TIMEOUT = { timeout: TEST_CEILING_MS };
const WAIT_MS = WAIT_CEILING_MS;

let dataDir = '';
let emptyCwd = '';
let redis: RedisServer | undefined;
let records: ManagedProcess | undefined;
let authServer: ManagedProcess | undefined;
let rtA: ManagedProcess | undefined;
let rtB: ManagedProcess | undefined;
let t: ScenarioContext;
let alice: ClusterUser;
let bob: ClusterUser;

interface ClusterUser {
  id: string;
  token: string;
}

/** A user created through the records process, logged in through the server standing in for the auth service. */
async function makeUser(): Promise<ClusterUser> {
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

/** `node dist/apps/realtime/src/main.js --http <free port> ...args`, healthy on return. */
async function startRealtime(args: string[], env: Record<string, string>, cwd?: string): Promise<ManagedProcess> {
  const port = await freePort();
  const root = repoRoot();
  const main = join(root, 'dist', 'apps', 'realtime', 'src', 'main.js');
  const argv = ['-r', join(root, 'scripts', 'paths.js'), main, '--http', `127.0.0.1:${port}`, ...args];
  const proc = startProcess(argv, { env: { ...env, NB_LOG_LEVEL: 'warn' }, cwd }, `http://127.0.0.1:${port}`);
  try {
    await waitForHealth(proc.baseUrl, 60_000, proc.child, () => `${proc.stdout()}\n${proc.stderr()}`);
  } catch (err) {
    proc.kill();
    throw err;
  }
  return proc;
}

async function postSubscriptions(baseUrl: string, clientId: string, subscriptions: string[], token: string) {
  return new HttpClient(baseUrl).request('POST', '/api/realtime', { body: { clientId, subscriptions }, token });
}

void describe('realtime cluster: records process, two realtime processes, one redis-server', () => {
  before(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'nestbase-rt-cluster-'));
    emptyCwd = await mkdtemp(join(tmpdir(), 'nestbase-rt-cluster-cwd-'));
    redis = await RedisServer.start();
    const admin = { PB_ADMIN_EMAIL: SU.email, PB_ADMIN_PASSWORD: SU.password };
    records = await startRecordsApp(dataDir, { env: { REDIS_URL: redis.url, NB_INTERNAL_SECRET: SECRET, ...admin } });
    // stands in for the auth service (logins only); every change below goes through the records process
    authServer = await startNestbase(dataDir, [], { env: admin });
    const su = await tokenFor(new HttpClient(authServer.baseUrl), '_superusers', SU.email, SU.password);
    t = new ScenarioContext(new HttpClient(records.baseUrl), su);
    await t.createCollection({
      name: 'todos',
      ...OWNER_RULES,
      fields: [text('title'), relation('owner', '_pb_users_auth_')],
    });
    alice = await makeUser();
    bob = await makeUser();
    [rtA, rtB] = await Promise.all([
      startRealtime(['--dir', dataDir], { REDIS_URL: redis.url }),
      // no database: NB_DIR names a directory that must stay absent
      startRealtime(
        ['--records', records.baseUrl],
        { REDIS_URL: redis.url, NB_INTERNAL_SECRET: SECRET, NB_DIR: join(emptyCwd, 'pb_data') },
        emptyCwd,
      ),
    ]);
  }, TIMEOUT);

  after(async () => {
    await Promise.allSettled([rtA?.stop(), rtB?.stop(), records?.stop(), authServer?.stop()]);
    await redis?.stop();
    await rm(dataDir, { recursive: true, force: true });
    await rm(emptyCwd, { recursive: true, force: true });
  });

  void it('SSE on A, subscriptions and unsubscribe POSTed to B, changes made through records', TIMEOUT, async () => {
    assert.ok(rtA && rtB);
    const sse = await RawSse.open(rtA.baseUrl);
    try {
      assert.equal(sse.status, 200);
      assert.equal(sse.frames[0].event, 'PB_CONNECT');
      const topic = `${t.col('todos')}/*`;
      const posted = await postSubscriptions(rtB.baseUrl, sse.clientId, [topic], alice.token);
      assert.equal(posted.status, 204, posted.text);

      const bobs = await t.createRecord('todos', { title: 'bob private', owner: bob.id });
      const mine = await t.createRecord('todos', { title: 'alice via records', owner: alice.id });
      const received = (): string[] => sse.frames.slice(1).map((f) => String((f.data as RealtimeMessage).record.id));
      await waitUntil(() => received().includes(mine.id), "alice's create on A", WAIT_MS);
      assert.equal(received().includes(bobs.id), false, "bob's private record reached alice");
      assert.deepEqual(
        sse.frames.slice(1).map((f) => [f.id, f.event, (f.data as RealtimeMessage).action]),
        [[sse.clientId, topic, 'create']],
      );

      // unsubscribe from `todos/*` (through B), keeping only the one-record topic as a sentinel
      const sentinel = `${t.col('todos')}/${mine.id}`;
      const narrowed = await postSubscriptions(rtB.baseUrl, sse.clientId, [sentinel], alice.token);
      assert.equal(narrowed.status, 204, narrowed.text);
      const mark = sse.frames.length;
      const unseen = await t.createRecord('todos', { title: 'after unsubscribe', owner: alice.id });
      await t.su.expectOk('PATCH', t.records('todos', mine.id), { title: 'sentinel update' });
      // both events come from the records process over one Redis connection, in order
      await waitUntil(() => sse.frames.length > mark, 'the sentinel update on A', WAIT_MS);
      const late = sse.frames
        .slice(mark)
        .map((f) => [f.event, (f.data as RealtimeMessage).action, String((f.data as RealtimeMessage).record.id)]);
      assert.deepEqual(late, [[sentinel, 'update', mine.id]]);
      assert.equal(received().includes(unseen.id), false, 'a create after the unsubscribe reached A');

      const cleared = await postSubscriptions(rtB.baseUrl, sse.clientId, [], alice.token);
      assert.equal(cleared.status, 204, cleared.text);
    } finally {
      sse.close();
    }
  });

  void it('an unknown client id POSTed to B is a 404 after asking A over the bus', TIMEOUT, async () => {
    assert.ok(rtB);
    const res = await postSubscriptions(rtB.baseUrl, 'unknown-cluster-client', [], alice.token);
    assert.equal(res.status, 404, res.text);
  });

  void it("a WebSocket on B receives a change made through the records process, not others'", TIMEOUT, async () => {
    assert.ok(rtB);
    const ws = new WebSocket(`${rtB.baseUrl.replace('http', 'ws')}/api/realtime?token=${alice.token}`);
    const got = new Collector();
    let connected: Record<string, unknown> | undefined;
    ws.on('message', (data: Buffer) => {
      const body = JSON.parse(data.toString()) as Record<string, unknown>;
      if (body.type === 'connected') {
        connected = body;
      } else if (!body.type) {
        got.push(body as unknown as RealtimeMessage);
      }
    });
    try {
      await waitUntil(() => connected !== undefined, 'WS connected on B', WAIT_MS);
      assert.equal(connected?.auth, alice.id);
      const bobs = await t.createRecord('todos', { title: 'bob ws', owner: bob.id });
      const mine = await t.createRecord('todos', { title: 'alice ws', owner: alice.id });
      const m = await got.find((x) => x.record.id === mine.id, 'the WS create on B', WAIT_MS);
      assert.equal(m.action, 'create');
      assert.equal(m.record.title, 'alice ws');
      assert.equal(
        got.items.some((x) => x.record.id === bobs.id),
        false,
        "bob's private record reached alice's WebSocket",
      );
    } finally {
      ws.terminate();
    }
  });

  void it('the database-less realtime process B made no data directory', async () => {
    assert.deepEqual(await readdir(emptyCwd), []);
  });
});
