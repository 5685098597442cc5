// The distributed set of docker-compose.yml, started as processes (see support/service-set.ts): the whole
// HTTP scenario suite and the SDK suites through the gateway; a realtime replica killed mid-stream (its
// clients reconnect through the gateway to the other and miss nothing they may see); the records service
// killed during a write burst (every acknowledged write survives), restarted, and the suites pass again.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import PocketBase from 'pocketbase';

import { HttpClient, HttpMethod, makeCollection, RequestOptions, text, tokenFor, uniqueSuffix } from '@lib/testing';

import { installEventSource, sleep, waitUntil } from '../e2e/support/realtime-helpers';
import { ServiceSet, SUPERUSER } from './support/service-set';
import { externalSuiteFiles, runSuite } from './support/suite-runner';

installEventSource();

const SUITE_TIMEOUT_MS = 15 * 60_000;

void describe('distributed set (docker-compose.yml as processes)', { timeout: 40 * 60_000 }, () => {
  const set = new ServiceSet();
  let http: HttpClient;
  let suToken = '';

  before(async () => {
    await set.start();
    http = new HttpClient(set.gatewayUrl);
    suToken = await tokenFor(http, '_superusers', SUPERUSER.email, SUPERUSER.password);
  });

  after(async () => {
    await set.stop();
  });

  const ok = async <T>(method: HttpMethod, url: string, options: RequestOptions = {}): Promise<T> => {
    const res = await http.request(method, url, options);
    assert.ok(res.status === 200 || res.status === 204, `${method} ${url}: ${res.status} ${res.text}`);
    return res.json<T>();
  };

  const suite = async () => {
    const files = externalSuiteFiles();
    const result = await runSuite(files, set.gatewayUrl, SUPERUSER, SUITE_TIMEOUT_MS);
    assert.equal(result.fail, 0, `${result.fail} failed through the gateway:\n${result.report}\n${set.logs()}`);
    assert.equal(result.code, 0, `the suite exited with ${String(result.code)}:\n${result.report}`);
    return { files, result };
  };

  void it('runs the HTTP scenario suite and the SDK suites through the gateway', async () => {
    const { files, result } = await suite();
    assert.ok(files.length >= 40, `only ${files.length} suite files found`);
    assert.ok(result.pass >= 800, `only ${result.pass} tests passed`);
  });

  void it('keeps the services internal API off the public entry', async () => {
    for (const url of ['/api/_internal/rule-check', '/api/%5Finternal/render', '/api/_internal']) {
      const res = await http.request('POST', url, { body: {} });
      assert.equal(res.status, 404, url);
    }
  });

  void it('makes a field added through records valid in auth and realtime within a second', async () => {
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
    const pb = new PocketBase(set.gatewayUrl);
    pb.autoCancellation(false);
    await pb.collection(name).authWithPassword(email, password);
    const events: Record<string, unknown>[] = [];
    await pb.collection(name).subscribe('*', (e) => events.push(e.record));
    // The new field, then at once: auth (another process) returns it, realtime (a third) delivers it.
    await ok('PATCH', `/api/collections/${collection.id}`, {
      ...su,
      body: { fields: [...collection.fields, { name: 'nickname', type: 'text' }] },
    });
    const started = Date.now();
    const id = pb.authStore.record!.id;
    await ok('PATCH', `/api/collections/${name}/records/${id}`, { ...su, body: { nickname: 'neo' } });
    const auth = await pb.collection(name).authWithPassword(email, password);
    assert.equal(auth.record.nickname, 'neo', 'the auth service knows the new field');
    await waitUntil(() => events.some((e) => e.nickname === 'neo'), 'the realtime event with the new field', 1000);
    assert.ok(Date.now() - started < 1000);
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
        const pb = new PocketBase(set.gatewayUrl);
        pb.autoCancellation(false);
        await pb.collection('users').authWithPassword(users[owner].email, users[owner].password);
        const seen: string[] = [];
        let connects = 0;
        await pb.realtime.subscribe('PB_CONNECT', () => (connects += 1));
        await pb.collection(name).subscribe('*', (e) => seen.push(String(e.record.id)));
        return { pb, owner, seen, connects: () => connects };
      }),
    );
    await set.kill('realtime', 0);
    // Clients of the dead replica see their stream end and reconnect (the gateway ejects the dead address).
    await waitUntil(() => clients.every((c) => c.pb.realtime.isConnected), 'every client connected again', 20_000);
    await sleep(500);
    const created: { id: string; owner: number }[] = [];
    for (let i = 0; i < 10; i++) {
      const owner = i % 2;
      const rec = await ok<{ id: string }>('POST', `/api/collections/${name}/records`, {
        ...su,
        body: { owner: users[owner].id },
      });
      created.push({ id: rec.id, owner });
    }
    for (const client of clients) {
      const mine = created.filter((r) => r.owner === client.owner).map((r) => r.id);
      await waitUntil(() => mine.every((id) => client.seen.includes(id)), `client of user ${client.owner}`, 10_000);
      const others = created.filter((r) => r.owner !== client.owner).map((r) => r.id);
      assert.deepEqual(
        client.seen.filter((id) => others.includes(id)),
        [],
        'no record of the other user',
      );
    }
    assert.ok(
      clients.some((c) => c.connects() >= 2),
      'some clients reconnected (they were on the killed replica)',
    );
    await Promise.all(clients.map((c) => c.pb.realtime.unsubscribe()));
    await set.restart('realtime', 0);
  });

  void it('keeps every acknowledged write when the records service is killed during a burst', async () => {
    const name = `dist_burst_${uniqueSuffix()}`;
    const su = { token: suToken };
    await ok('POST', '/api/collections', { ...su, body: makeCollection({ name, fields: [text('n')] }) });
    const acknowledged: string[] = [];
    const failures = new Map<number, number>();
    let stop = false;
    const writer = async (w: number) => {
      for (let i = 0; !stop; i++) {
        const res = await http.request('POST', `/api/collections/${name}/records`, {
          ...su,
          body: { n: `${w}-${i}` },
        });
        if (res.status === 200) {
          acknowledged.push(res.json<{ id: string }>().id);
        } else {
          failures.set(res.status, (failures.get(res.status) ?? 0) + 1);
          await sleep(20);
        }
      }
    };
    const writers = [0, 1, 2, 3].map((w) => writer(w));
    await waitUntil(() => acknowledged.length >= 100, '100 acknowledged writes', 30_000);
    await set.kill('records', 0);
    await sleep(1000);
    stop = true;
    await Promise.all(writers);
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
      statuses.every((s) => s === 502 || s === 503),
      `only 502/503 while records was down: ${statuses.join(', ')}`,
    );
  });

  void it('passes the suites again after the records service restarted', async () => {
    await suite();
  });
});
