// The split records service (dist/apps/records) next to a standalone server on the same data
// dir: it verifies tokens the standalone minted, and writes through either are seen by both.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';

import {
  ApiResponse,
  HttpClient,
  HttpMethod,
  ListJson,
  LOCKED_RULES,
  makeUserInput,
  ManagedProcess,
  num,
  OWNER_RULES,
  RecordJson,
  relation,
  startNestbase,
  startRecordsApp,
  TEST_CEILING_MS,
  text,
  tokenFor,
  uniqueEmail,
  uniqueSuffix,
} from '@lib/testing';

const SU_PASSWORD = 'Records-App-Passw0rd';
const NOT_FOUND = { status: 404, message: "The requested resource wasn't found.", data: {} };
const TIMEOUT = { timeout: TEST_CEILING_MS };

let dir = '';
let standalone: ManagedProcess | undefined;
let recordsApp: ManagedProcess | undefined;
let sa: HttpClient;
let ra: HttpClient;
let token = '';
let items = '';
let seededId = '';
let owned = '';

/** Sends a request and asserts the status (never 5xx), returning the parsed body. */
async function call<T = RecordJson>(
  client: HttpClient,
  method: HttpMethod,
  url: string,
  status: number,
  body?: unknown,
  auth = token,
): Promise<T> {
  const res: ApiResponse = await client.request(method, url, { body, token: auth || undefined });
  assert.equal(
    res.status,
    status,
    `${method} ${client.baseUrl}${url}: expected ${status}, got ${res.status}: ${res.text.slice(0, 800)}`,
  );
  return res.json<T>();
}

const recs = (col: string, id = ''): string => `/api/collections/${col}/records${id ? `/${id}` : ''}`;

void describe('records app beside the standalone server (same data dir)', () => {
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'nestbase-records-app-'));
    const email = uniqueEmail('su');
    standalone = await startNestbase(dir, [], { env: { PB_ADMIN_EMAIL: email, PB_ADMIN_PASSWORD: SU_PASSWORD } });
    sa = new HttpClient(standalone.baseUrl);
    token = await tokenFor(sa, '_superusers', email, SU_PASSWORD);
    items = `items_${uniqueSuffix()}`;
    await call(sa, 'POST', '/api/collections', 200, {
      name: items,
      ...LOCKED_RULES,
      fields: [text('title', { required: true }), num('qty')],
    });
    seededId = (await call(sa, 'POST', recs(items), 200, { title: 'seeded', qty: 1 })).id;
    const usersId = (await call<{ id: string }>(sa, 'GET', '/api/collections/users', 200)).id;
    owned = `owned_${uniqueSuffix()}`;
    await call(sa, 'POST', '/api/collections', 200, {
      name: owned,
      ...OWNER_RULES,
      fields: [text('title'), relation('owner', usersId)],
    });
    recordsApp = await startRecordsApp(dir);
    ra = new HttpClient(recordsApp.baseUrl);
  });

  after(async () => {
    await Promise.all([standalone?.stop(), recordsApp?.stop()]);
    if (dir) {
      await rm(dir, { recursive: true, force: true });
    }
  });

  void it('accepts the superuser token minted by the standalone server', TIMEOUT, async () => {
    const list = await call<ListJson>(ra, 'GET', recs(items), 200);
    assert.equal(list.totalItems, list.items.length);
    const seeded = list.items.find((r) => r.id === seededId);
    assert.deepEqual(
      { title: seeded?.title, qty: seeded?.qty, collectionName: seeded?.collectionName },
      { title: 'seeded', qty: 1, collectionName: items },
    );
    const view = await call(ra, 'GET', recs(items, seededId), 200);
    assert.equal(view.title, 'seeded');
    // locked rules: a guest (or an unverifiable token, ignored) is refused
    await call(ra, 'GET', recs(items), 403, undefined, '');
    await call(ra, 'GET', recs(items), 403, undefined, 'eyJhbGciOiJIUzI1NiJ9.e30.invalid');
  });

  void it('create/update/delete through the records app are seen by the standalone server', TIMEOUT, async () => {
    const created = await call(ra, 'POST', recs(items), 200, { title: 'from records app', qty: 5 });
    assert.match(created.id, /^[a-z0-9]{15}$/);
    assert.equal(created.qty, 5);
    const seen = await call(sa, 'GET', recs(items, created.id), 200);
    assert.deepEqual({ title: seen.title, qty: seen.qty }, { title: 'from records app', qty: 5 });

    const updated = await call(ra, 'PATCH', recs(items, created.id), 200, {
      'qty+': 2,
      title: 'edited in records app',
    });
    assert.equal(updated.qty, 7);
    const seenUpdated = await call(sa, 'GET', recs(items, created.id), 200);
    assert.deepEqual({ title: seenUpdated.title, qty: seenUpdated.qty }, { title: 'edited in records app', qty: 7 });

    await call(ra, 'POST', recs(items), 400, { qty: 1 });
    await call(ra, 'DELETE', recs(items, created.id), 204);
    await call(sa, 'GET', recs(items, created.id), 404);
    await call(ra, 'GET', recs(items, created.id), 404);
  });

  void it('writes through the standalone server are seen by the records app', TIMEOUT, async () => {
    const created = await call(sa, 'POST', recs(items), 200, { title: 'from standalone', qty: 3 });
    assert.equal((await call(ra, 'GET', recs(items, created.id), 200)).title, 'from standalone');
    const filter = encodeURIComponent(`title = "from standalone"`);
    const found = await call<ListJson>(ra, 'GET', `${recs(items)}?filter=${filter}`, 200);
    assert.deepEqual(
      found.items.map((r) => r.id),
      [created.id],
    );

    await call(sa, 'PATCH', recs(items, created.id), 200, { qty: 30 });
    assert.equal((await call(ra, 'GET', recs(items, created.id), 200)).qty, 30);

    await call(sa, 'DELETE', recs(items, created.id), 204);
    await call(ra, 'GET', recs(items, created.id), 404);
  });

  void it('collections: list and create through the records app', TIMEOUT, async () => {
    const listed = await call<ListJson<{ name: string }>>(ra, 'GET', '/api/collections?perPage=500', 200);
    assert.ok(
      listed.items.some((c) => c.name === items),
      'records app lists the collection made on the standalone',
    );
    assert.equal((await call<{ name: string }>(ra, 'GET', `/api/collections/${items}`, 200)).name, items);
    await call(ra, 'GET', '/api/collections', 401, undefined, '');

    const made = `made_in_ra_${uniqueSuffix()}`;
    const col = await call<{ id: string; name: string }>(ra, 'POST', '/api/collections', 200, {
      name: made,
      ...LOCKED_RULES,
      fields: [text('label')],
    });
    assert.equal(col.name, made);
    assert.equal((await call<{ id: string }>(ra, 'GET', `/api/collections/${made}`, 200)).id, col.id);
    const rec = await call(ra, 'POST', recs(made), 200, { label: 'in new collection' });
    assert.equal((await call(ra, 'GET', recs(made, rec.id), 200)).label, 'in new collection');
  });

  // Both processes keep an in-memory copy of the collections (CollectionsRegistry) that is
  // reloaded only after a change made in the same process, so these currently fail.
  void it('a collection created through the records app is found by the standalone server', TIMEOUT, async () => {
    const made = `ra_to_sa_${uniqueSuffix()}`;
    const col = await call<{ id: string }>(ra, 'POST', '/api/collections', 200, {
      name: made,
      ...LOCKED_RULES,
      fields: [text('label')],
    });
    assert.equal((await call<{ id: string }>(sa, 'GET', `/api/collections/${made}`, 200)).id, col.id);
    const rec = await call(ra, 'POST', recs(made), 200, { label: 'via records app' });
    assert.equal((await call(sa, 'GET', recs(made, rec.id), 200)).label, 'via records app');
  });

  void it('collection changes made through the standalone server reach the records app', TIMEOUT, async () => {
    const made = `sa_to_ra_${uniqueSuffix()}`;
    await call(sa, 'POST', '/api/collections', 200, { name: made, ...LOCKED_RULES, fields: [text('label')] });
    const rec = await call(sa, 'POST', recs(made), 200, { label: 'via standalone' });
    assert.equal((await call(ra, 'GET', recs(made, rec.id), 200)).label, 'via standalone');

    const current = await call<{ fields: unknown[] }>(sa, 'GET', `/api/collections/${made}`, 200);
    await call(sa, 'PATCH', `/api/collections/${made}`, 200, { fields: [...current.fields, num('extra')] });
    const withExtra = await call(ra, 'POST', recs(made), 200, { label: 'has extra', extra: 9 });
    assert.equal(withExtra.extra, 9);

    await call(sa, 'DELETE', `/api/collections/${made}`, 204);
    await call(ra, 'GET', recs(made), 404);
  });

  void it('settings changes flow both ways', TIMEOUT, async () => {
    type Settings = { meta: { appName: string }; batch: { enabled: boolean } };
    const first = `RA ${uniqueSuffix()}`;
    await call(ra, 'PATCH', '/api/settings', 200, { meta: { appName: first } });
    assert.equal((await call<Settings>(sa, 'GET', '/api/settings', 200)).meta.appName, first);

    const second = `SA ${uniqueSuffix()}`;
    await call(sa, 'PATCH', '/api/settings', 200, {
      meta: { appName: second },
      batch: { enabled: true, maxRequests: 20 },
    });
    const seen = await call<Settings>(ra, 'GET', '/api/settings', 200);
    assert.deepEqual({ appName: seen.meta.appName, batch: seen.batch.enabled }, { appName: second, batch: true });
    const res = await call<{ status: number }[]>(ra, 'POST', '/api/batch', 200, {
      requests: [{ method: 'POST', url: recs(items), body: { title: 'batched' } }],
    });
    assert.deepEqual(
      res.map((r) => r.status),
      [200],
    );
  });

  void it('user tokens from the standalone server apply the owner rules on the records app', TIMEOUT, async () => {
    const login = async (): Promise<{ id: string; token: string }> => {
      const input = makeUserInput();
      const user = await call(sa, 'POST', recs('users'), 200, input, '');
      return { id: user.id, token: await tokenFor(sa, 'users', String(input.email), String(input.password)) };
    };
    const alice = await login();
    const bob = await login();
    const mine = await call(ra, 'POST', recs(owned), 200, { title: 'alice note', owner: alice.id }, alice.token);
    await call(ra, 'POST', recs(owned), 400, { title: 'forged', owner: alice.id }, bob.token);

    const aliceList = await call<ListJson>(ra, 'GET', recs(owned), 200, undefined, alice.token);
    assert.deepEqual(
      aliceList.items.map((r) => r.id),
      [mine.id],
    );
    const bobList = await call<ListJson>(ra, 'GET', recs(owned), 200, undefined, bob.token);
    assert.equal(bobList.totalItems, 0);
    await call(ra, 'GET', recs(owned, mine.id), 404, undefined, bob.token);
    await call(ra, 'DELETE', recs(owned, mine.id), 404, undefined, bob.token);
    await call(ra, 'DELETE', recs(owned, mine.id), 204, undefined, alice.token);
    await call(sa, 'GET', recs(owned, mine.id), 404);
  });

  void it('a password change on the standalone server revokes the old token on the records app', TIMEOUT, async () => {
    const input = makeUserInput();
    const user = await call(sa, 'POST', recs('users'), 200, input, '');
    const old = await tokenFor(sa, 'users', String(input.email), String(input.password));
    const note = await call(ra, 'POST', recs(owned), 200, { title: 'kept', owner: user.id }, old);
    // verified (and remembered) by the records app, then revoked by the other process
    await call(ra, 'GET', recs(owned, note.id), 200, undefined, old);
    const password = 'Changed-Passw0rd-123';
    await call(sa, 'PATCH', recs('users', user.id), 200, { password, passwordConfirm: password });
    await call(ra, 'GET', recs(owned, note.id), 404, undefined, old);
    const fresh = await tokenFor(sa, 'users', String(input.email), password);
    await call(ra, 'GET', recs(owned, note.id), 200, undefined, fresh);
  });

  void it('health, unknown routes and the missing auth endpoints', TIMEOUT, async () => {
    const health = await call(ra, 'GET', '/api/health', 200, undefined, '');
    assert.deepEqual(health, { code: 200, message: 'API is healthy.', data: {} });
    assert.deepEqual(await call(ra, 'GET', '/api/nope', 404, undefined, ''), NOT_FOUND);
    assert.deepEqual(await call(ra, 'POST', '/api/does-not-exist', 404, { a: 1 }), NOT_FOUND);
    await call(ra, 'GET', recs(`missing_${uniqueSuffix()}`), 404);
    const authRoute = await call<{ status: number; data: unknown }>(
      ra,
      'POST',
      '/api/collections/users/auth-with-password',
      404,
      { identity: 'x@example.com', password: 'whatever-123' },
      '',
    );
    assert.deepEqual({ status: authRoute.status, data: authRoute.data }, { status: 404, data: {} });
  });
});
