// The distributed set of docker-compose.yml, started as processes (see support/service-set.ts): the whole
// HTTP scenario suite and the SDK suites once through the gateway (two files at a time where they can share
// the deployment, see support/suite-runner.ts); a realtime replica killed mid-stream (its clients reconnect
// through the gateway to the other and miss nothing they may see); the records service killed during a write
// burst (every acknowledged write survives) and restarted, then what the restart could break is checked —
// data, tokens, subscriptions, schema (support/restart-checks.ts) — with a few suite files run again.
//
// Every wait is for a condition; the limits are ceilings that only catch a hang and say what hung.
import assert from 'node:assert/strict';
import { after, before, describe, it, TestContext } from 'node:test';

import PocketBase from 'pocketbase';

import { HttpClient, makeCollection, text, tokenFor, uniqueSuffix } from '@lib/testing';

import { metricsText, sampleSum } from '../e2e/support/metrics-scrape';
import { installEventSource, pollFor, waitUntil } from '../e2e/support/realtime-helpers';
import { burstThenKill } from '../e2e/support/write-burst';
import {
  Call,
  caller,
  checkAfterRestart,
  EVENT_CEILING_MS,
  prepareRestartState,
  RestartState,
} from './support/restart-checks';
import { ServiceSet, SUPERUSER } from './support/service-set';
import { passSuite } from './support/suite-runner';

installEventSource();

// Files run again after the records restart (beside the focused checks): CRUD and realtime through the new process.
const AFTER_RESTART = /^(records-crud|realtime-sse)\.e2e-spec\.js$/;

void describe('distributed set (docker-compose.yml as processes)', { timeout: 40 * 60_000 }, () => {
  const set = new ServiceSet();
  let http: HttpClient;
  let ok: Call;
  let suToken = '';

  before(async () => {
    await set.start();
    http = new HttpClient(set.gatewayUrl);
    ok = caller(http);
    suToken = await tokenFor(http, '_superusers', SUPERUSER.email, SUPERUSER.password);
  });

  // Every SDK client of this file: their realtime connections are closed before the set stops, or the SDK (and
  // its EventSource) keep reconnecting to the stopped gateway forever, and their timers keep this file's process
  // from exiting after its last test (seen: a fresh clone's run waited for the file's 40-minute ceiling).
  const sdkClients: PocketBase[] = [];
  const sdk = (): PocketBase => {
    const pb = new PocketBase(set.gatewayUrl);
    sdkClients.push(pb);
    return pb;
  };

  after(async () => {
    for (const pb of sdkClients) {
      (pb.realtime as unknown as { disconnect(): void }).disconnect();
    }
    await set.stop();
  });

  const suite = (ctx: TestContext, only?: RegExp) => passSuite(ctx, set, SUPERUSER, only);

  void it('runs the HTTP scenario suite and the SDK suites through the gateway', async (ctx) => {
    const { files, result } = await suite(ctx);
    assert.ok(files.length >= 40, `only ${files.length} suite files found`);
    assert.ok(result.pass >= 800, `only ${result.pass} tests passed`);
  });

  void it('keeps the services internal API off the public entry', async () => {
    for (const url of ['/api/_internal/rule-check', '/api/%5Finternal/render', '/api/_internal']) {
      const res = await http.request('POST', url, { body: {} });
      assert.equal(res.status, 404, url);
    }
  });

  void it('makes a field added through records valid in auth and realtime at once', async () => {
    const name = `dist_auth_${uniqueSuffix()}`;
    const su = { token: suToken };
    const collection = await ok<{ id: string; fields: unknown[] }>('POST', '/api/collections', {
      ...su,
      body: { name, type: 'auth', listRule: 'id = @request.auth.id', viewRule: 'id = @request.auth.id' },
    });
    const email = `f_${uniqueSuffix()}@example.com`;
    const password = 'Fields-Passw0rd';
    await ok('POST', `/api/collections/${name}/records`, {
      ...su,
      body: { email, password, passwordConfirm: password },
    });
    const pb = sdk();
    pb.autoCancellation(false);
    await pb.collection(name).authWithPassword(email, password);
    const events: Record<string, unknown>[] = [];
    await pb.collection(name).subscribe('*', (e) => events.push(e.record));
    // The new field, then at once (no retry): auth (another process) returns it, realtime (a third) delivers it.
    await ok('PATCH', `/api/collections/${collection.id}`, {
      ...su,
      body: { fields: [...collection.fields, { name: 'nickname', type: 'text' }] },
    });
    const id = pb.authStore.record!.id;
    await ok('PATCH', `/api/collections/${name}/records/${id}`, { ...su, body: { nickname: 'neo' } });
    const auth = await pb.collection(name).authWithPassword(email, password);
    assert.equal(auth.record.nickname, 'neo', 'the auth service knows the new field');
    await waitUntil(() => events.some((e) => e.nickname === 'neo'), 'the realtime event with the new field', 30_000);
    assert.ok(
      events.every((e) => e.nickname === 'neo'),
      `every event carries the field: ${JSON.stringify(events)}`,
    );
    await pb.collection(name).unsubscribe();
  });

  void it('moves realtime clients to the other replica when one dies, and they miss nothing after', async () => {
    const name = `dist_rt_${uniqueSuffix()}`;
    const su = { token: suToken };
    const own = 'owner = @request.auth.id';
    const rules = { listRule: own, viewRule: own, createRule: null, updateRule: null };
    await ok('POST', '/api/collections', { ...su, body: makeCollection({ name, fields: [text('owner')], ...rules }) });
    const users = await Promise.all(
      [0, 1].map(async (i) => {
        const email = `rt${i}_${uniqueSuffix()}@example.com`;
        const password = 'Realtime-Passw0rd';
        const user = await ok<{ id: string }>('POST', '/api/collections/users/records', {
          body: { email, password, passwordConfirm: password },
        });
        return { id: user.id, email, password };
      }),
    );
    // Two clients per user: with round-robin over two replicas, each replica holds some of them.
    const clients = await Promise.all(
      [0, 1, 0, 1].map(async (owner) => {
        const pb = sdk();
        pb.autoCancellation(false);
        await pb.collection('users').authWithPassword(users[owner].email, users[owner].password);
        const seen: string[] = [];
        let connects = 0;
        await pb.realtime.subscribe('PB_CONNECT', () => (connects += 1));
        await pb.collection(name).subscribe('*', (e) => seen.push(String(e.record.id)));
        return { pb, owner, seen, connects: () => connects };
      }),
    );
    const create = async (owner: number) =>
      (
        await ok<{ id: string }>('POST', `/api/collections/${name}/records`, {
          ...su,
          body: { owner: users[owner].id },
        })
      ).id;
    // The replica killed is one that holds some of these clients: the gateway's round robin turns on every request
    // to realtime (the subscriptions' POSTs too), so which replica got the streams is not fixed (seen: none on 0).
    const held = await Promise.all(
      set
        .of('realtime')
        .map(async (_, i) => sampleSum(await metricsText(set.url('realtime', i)), 'nb_realtime_connections')),
    );
    const victim = held.indexOf(Math.max(...held));
    assert.ok(held[victim] > 0, `no realtime replica counts a connection: ${JSON.stringify(held)}`);
    await set.kill('realtime', victim);
    // Clients of the dead replica see their stream end and reconnect (the gateway ejects the dead address) and
    // resubmit their subscriptions. Ready when every client receives a probe of its user: a probe created
    // before a client's subscription is back is never delivered to it, so a new one is sent until all got one.
    const probes: string[] = [];
    const caught = () => clients.every((c) => c.seen.some((id) => probes.includes(id)));
    const deadline = Date.now() + EVENT_CEILING_MS;
    while (!caught()) {
      assert.ok(Date.now() < deadline, `a client missed every probe for ${EVENT_CEILING_MS} ms after the kill`);
      probes.push(await create(0), await create(1));
      await pollFor(caught, 2000);
    }
    const created: { id: string; owner: number }[] = [];
    for (let i = 0; i < 10; i++) {
      created.push({ id: await create(i % 2), owner: i % 2 });
    }
    for (const client of clients) {
      const mine = created.filter((r) => r.owner === client.owner).map((r) => r.id);
      await waitUntil(() => mine.every((id) => client.seen.includes(id)), `client of user ${client.owner}`, 30_000);
    }
    for (const client of clients) {
      const others = created.filter((r) => r.owner !== client.owner).map((r) => r.id);
      assert.deepEqual(
        client.seen.filter((id) => others.includes(id)),
        [],
        'no record of the other user',
      );
    }
    assert.ok(
      clients.some((c) => c.connects() >= 2),
      `some clients reconnected (they were on the killed replica ${victim}, which held ${held[victim]})`,
    );
    await Promise.all(clients.map((c) => c.pb.realtime.unsubscribe()));
    await set.restart('realtime', victim);
  });

  let restartState: RestartState | undefined;

  void it('keeps every acknowledged write when the records service is killed during a burst', async () => {
    restartState = await prepareRestartState(set.gatewayUrl, suToken);
    const name = `dist_burst_${uniqueSuffix()}`;
    const su = { token: suToken };
    await ok('POST', '/api/collections', { ...su, body: makeCollection({ name, fields: [text('n')] }) });
    // Each writer writes until the records service is down: its first refused write after the kill ends it.
    const { acknowledged, failures } = await burstThenKill<string>({
      writers: 4,
      acknowledgedBeforeKill: 100,
      ceilingMs: EVENT_CEILING_MS,
      kill: () => set.kill('records', 0),
      write: async (w, i) => {
        const res = await http.request('POST', `/api/collections/${name}/records`, { ...su, body: { n: `${w}-${i}` } });
        return res.status === 200
          ? { ok: true, value: res.json<{ id: string }>().id }
          : { ok: false, status: res.status };
      },
    });
    await set.restart('records', 0);
    const stored = new Set<string>();
    for (let page = 1; ; page++) {
      const list = await ok<{ items: { id: string }[]; totalPages: number }>(
        'GET',
        `/api/collections/${name}/records?perPage=1000&page=${page}&skipTotal=0`,
        su,
      );
      list.items.forEach((item) => stored.add(item.id));
      if (page >= list.totalPages) {
        break;
      }
    }
    const lost = acknowledged.filter((id) => !stored.has(id));
    assert.deepEqual(lost, [], `${lost.length} of ${acknowledged.length} acknowledged writes lost`);
    const statuses = [...failures.keys()];
    assert.ok(
      statuses.every((s) => s === '502' || s === '503'),
      `only 502/503 while records was down: ${statuses.join(', ')}`,
    );
  });

  void it('keeps data, tokens, subscriptions and the schema across the records restart', async () => {
    assert.ok(restartState, 'the state is prepared by the burst test before the kill');
    await checkAfterRestart(set.gatewayUrl, suToken, restartState);
  });

  void it('passes suite files again through the restarted records service', async (ctx) => {
    const { files } = await suite(ctx, AFTER_RESTART);
    assert.equal(files.length, 2, 'records-crud and realtime-sse');
  });
});
