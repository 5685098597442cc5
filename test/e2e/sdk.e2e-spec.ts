// The official JS SDK (`pocketbase` 0.28, global fetch) against one real server for this file.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import PocketBase, { ClientResponseError, RecordModel } from 'pocketbase';

import { DEFAULT_PASSWORD, OWNER_RULES, RunningServer, startTestServer, uniqueEmail, uniqueSuffix } from '@lib/testing';

const DATE_RE = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\.\d{3}Z$/;

let server: RunningServer | undefined;
let admin: PocketBase;
let usersId = '';
let todos = '';

function client(): PocketBase {
  assert.ok(server, 'server not started');
  const pb = new PocketBase(server.baseUrl);
  pb.autoCancellation(false);
  return pb;
}

async function rejectsWithStatus(promise: Promise<unknown>, status: number): Promise<void> {
  await assert.rejects(promise, (err: unknown) => {
    assert.ok(err instanceof ClientResponseError, `expected ClientResponseError, got ${String(err)}`);
    assert.equal(err.status, status, `status: ${JSON.stringify(err.response)}`);
    return true;
  });
}

/** Registers a user through the public create endpoint and logs in with a fresh client. */
async function register(): Promise<{ pb: PocketBase; id: string; email: string }> {
  const email = uniqueEmail('sdk');
  const created = await client()
    .collection('users')
    .create({ email, password: DEFAULT_PASSWORD, passwordConfirm: DEFAULT_PASSWORD });
  const pb = client();
  const auth = await pb.collection('users').authWithPassword(email, DEFAULT_PASSWORD);
  assert.equal(auth.record.id, created.id);
  return { pb, id: created.id, email };
}

function todoFields(ownerCollectionId: string): Record<string, unknown>[] {
  return [
    { name: 'title', type: 'text', required: true },
    { name: 'completed', type: 'bool' },
    { name: 'owner', type: 'relation', collectionId: ownerCollectionId, maxSelect: 1 },
    { name: 'created', type: 'autodate', onCreate: true, onUpdate: false },
    { name: 'updated', type: 'autodate', onCreate: true, onUpdate: true },
  ];
}

void describe('official JS SDK', () => {
  before(async () => {
    server = await startTestServer(process.env);
    admin = client();
    await admin.collection('_superusers').authWithPassword(server.superuserEmail, server.superuserPassword);
    usersId = (await admin.collections.getOne('users')).id;
    todos = `todos_${uniqueSuffix()}`;
    await admin.collections.create({ name: todos, type: 'base', ...OWNER_RULES, fields: todoFields(usersId) });
  });

  after(async () => {
    await server?.stop();
  });

  void it('superuser authWithPassword fills the auth store', async () => {
    assert.ok(server);
    const pb = client();
    const auth = await pb.collection('_superusers').authWithPassword(server.superuserEmail, server.superuserPassword);
    assert.equal(typeof auth.token, 'string');
    assert.equal(auth.record.collectionName, '_superusers');
    assert.equal(auth.record.email, server.superuserEmail);
    assert.equal(pb.authStore.isValid, true);
    assert.equal(pb.authStore.isSuperuser, true);
    assert.equal(pb.authStore.token, auth.token);
    await rejectsWithStatus(
      client().collection('_superusers').authWithPassword(server.superuserEmail, 'wrong-password'),
      400,
    );
  });

  void it('collections: create, getOne, getList, update, delete', async () => {
    const name = `todos_${uniqueSuffix()}`;
    const created = await admin.collections.create({ name, type: 'base', ...OWNER_RULES, fields: todoFields(usersId) });
    assert.equal(created.name, name);
    assert.equal(created.type, 'base');
    assert.equal(created.listRule, OWNER_RULES.listRule);
    const byName = new Map(created.fields.map((f) => [f.name, f]));
    assert.equal(byName.get('title')?.type, 'text');
    assert.equal(byName.get('title')?.required, true);
    assert.equal(byName.get('completed')?.type, 'bool');
    assert.equal(byName.get('owner')?.type, 'relation');
    assert.equal(byName.get('owner')?.collectionId, usersId);
    assert.equal(byName.get('created')?.type, 'autodate');
    assert.equal(byName.get('updated')?.onUpdate, true);
    assert.equal(byName.get('id')?.primaryKey, true);

    assert.equal((await admin.collections.getOne(name)).id, created.id);
    assert.equal((await admin.collections.getOne(created.id)).name, name);
    const list = await admin.collections.getList(1, 10, { filter: admin.filter('name = {:name}', { name }) });
    assert.equal(list.totalItems, 1);
    assert.deepEqual(
      list.items.map((c) => c.id),
      [created.id],
    );

    const updated = await admin.collections.update(name, {
      listRule: '',
      fields: [...created.fields, { name: 'note', type: 'text' }],
    });
    assert.equal(updated.listRule, '');
    assert.ok(updated.fields.some((f) => f.name === 'note' && f.type === 'text'));

    assert.equal(await admin.collections.delete(name), true);
    await rejectsWithStatus(admin.collections.getOne(name), 404);
    await rejectsWithStatus(client().collections.getList(1, 1), 401);
  });

  void it('a user registers, logs in with a second client and refreshes the token', async () => {
    const { pb, id, email } = await register();
    assert.equal(pb.authStore.isValid, true);
    assert.equal(pb.authStore.isSuperuser, false);
    assert.equal(pb.authStore.record?.id, id);
    assert.equal(pb.authStore.record?.email, email);
    const refreshed = await pb.collection('users').authRefresh();
    assert.equal(refreshed.record.id, id);
    assert.equal(typeof refreshed.token, 'string');
    assert.equal(pb.authStore.token, refreshed.token);
    assert.equal(pb.authStore.isValid, true);
    await rejectsWithStatus(client().collection('users').authWithPassword(email, 'not-the-password'), 400);
  });

  void it('records CRUD with filter, sort, expand, fields and skipTotal', async () => {
    const { pb, id: ownerId, email } = await register();
    const col = pb.collection(todos);
    const titles = ['bravo', 'alpha', 'charlie'];
    const made: RecordModel[] = [];
    for (const title of titles) {
      made.push(await col.create({ title, completed: title === 'alpha', owner: ownerId }));
    }
    const first = made[0];
    assert.equal(first.title, 'bravo');
    assert.equal(first.completed, false);
    assert.equal(first.owner, ownerId);
    assert.equal(first.collectionName, todos);
    assert.match(first.id, /^[a-z0-9]{15}$/);
    assert.match(String(first.created), DATE_RE);
    assert.match(String(first.updated), DATE_RE);

    const sorted = await col.getList(1, 10, { sort: '-title' });
    assert.deepEqual(
      sorted.items.map((r) => r.title),
      ['charlie', 'bravo', 'alpha'],
    );
    assert.equal(sorted.totalItems, 3);
    assert.equal(sorted.page, 1);
    assert.equal(sorted.perPage, 10);

    const open = await col.getList(1, 10, {
      filter: pb.filter('completed = {:done} && title ~ {:q}', { done: false, q: 'a' }),
      sort: 'title',
    });
    assert.deepEqual(
      open.items.map((r) => r.title),
      ['bravo', 'charlie'],
    );

    const expanded = await col.getOne(first.id, { expand: 'owner' });
    const owner = expanded.expand?.owner as RecordModel | undefined;
    assert.equal(owner?.id, ownerId);
    assert.equal(owner?.email, email);

    const slim = await col.getList(1, 2, { fields: 'id,title', sort: 'title', skipTotal: true });
    assert.equal(slim.totalItems, -1);
    assert.equal(slim.totalPages, -1);
    assert.deepEqual(slim.items, [
      { id: made[1].id, title: 'alpha' },
      { id: first.id, title: 'bravo' },
    ]);

    const all = await col.getFullList({ sort: 'created,title' });
    assert.deepEqual(all.map((r) => r.id).sort(), made.map((r) => r.id).sort());

    const found = await col.getFirstListItem(pb.filter('title = {:t}', { t: 'charlie' }));
    assert.equal(found.id, made[2].id);
    await rejectsWithStatus(col.getFirstListItem(pb.filter('title = {:t}', { t: 'nope' })), 404);

    const changed = await col.update(first.id, { completed: true, title: 'bravo!' });
    assert.equal(changed.completed, true);
    assert.equal(changed.title, 'bravo!');
    assert.equal(changed.created, first.created);
    assert.ok(String(changed.updated) >= String(first.updated));
    assert.equal((await col.getOne(first.id)).title, 'bravo!');

    assert.equal(await col.delete(first.id), true);
    await rejectsWithStatus(col.getOne(first.id), 404);
    assert.equal((await col.getFullList()).length, 2);

    await rejectsWithStatus(col.create({ completed: true, owner: ownerId }), 400);
  });

  void it('rules: another user gets 404, a guest gets an empty list', async () => {
    const alice = await register();
    const bob = await register();
    const rec = await alice.pb.collection(todos).create({ title: 'private', owner: alice.id });

    await rejectsWithStatus(bob.pb.collection(todos).getOne(rec.id), 404);
    await rejectsWithStatus(bob.pb.collection(todos).update(rec.id, { title: 'hijacked' }), 404);
    await rejectsWithStatus(bob.pb.collection(todos).delete(rec.id), 404);
    const bobList = await bob.pb.collection(todos).getList(1, 50);
    assert.equal(bobList.items.length, 0);
    assert.equal(bobList.totalItems, 0);
    // bob cannot create a record owned by alice (createRule → 400)
    await rejectsWithStatus(bob.pb.collection(todos).create({ title: 'forged', owner: alice.id }), 400);

    const guest = client();
    assert.equal(guest.authStore.isValid, false);
    const guestList = await guest.collection(todos).getList(1, 50);
    assert.deepEqual(guestList.items, []);
    assert.equal(guestList.totalItems, 0);
    await rejectsWithStatus(guest.collection(todos).getOne(rec.id), 404);
    await rejectsWithStatus(guest.collection(todos).create({ title: 'anon' }), 400);

    assert.equal((await alice.pb.collection(todos).getOne(rec.id)).title, 'private');
    const seenByAdmin = await admin.collection(todos).getOne(rec.id);
    assert.equal(seenByAdmin.owner, alice.id);
  });

  void it('batch: enabled through settings, runs create/update/delete atomically', async () => {
    const settings = await admin.settings.update({ batch: { enabled: true, maxRequests: 50 } });
    assert.equal(settings.batch.enabled, true);
    assert.equal(settings.batch.maxRequests, 50);

    const { pb, id: ownerId } = await register();
    const col = pb.collection(todos);
    const existing = await col.create({ title: 'to-update', owner: ownerId });
    const doomed = await col.create({ title: 'to-delete', owner: ownerId });

    const batch = pb.createBatch();
    batch.collection(todos).create({ title: 'batched-1', owner: ownerId });
    batch.collection(todos).create({ title: 'batched-2', owner: ownerId, completed: true });
    batch.collection(todos).update(existing.id, { title: 'updated-in-batch' });
    batch.collection(todos).delete(doomed.id);
    const results = await batch.send();
    assert.deepEqual(
      results.map((r) => r.status),
      [200, 200, 200, 204],
    );
    assert.equal(results[0].body.title, 'batched-1');
    assert.equal(results[1].body.completed, true);
    assert.equal(results[2].body.title, 'updated-in-batch');

    const titles = (await col.getFullList({ sort: 'title' })).map((r) => r.title);
    assert.deepEqual(titles, ['batched-1', 'batched-2', 'updated-in-batch']);

    const failing = pb.createBatch();
    failing.collection(todos).create({ title: 'rolled-back', owner: ownerId });
    failing.collection(todos).create({ owner: ownerId });
    await assert.rejects(failing.send(), (err: unknown) => {
      assert.ok(err instanceof ClientResponseError);
      assert.equal(err.status, 400);
      const requests = (err.response.data as { requests?: Record<string, { code?: string }> }).requests;
      assert.equal(requests?.['1']?.code, 'batch_request_failed');
      return true;
    });
    const afterFailure = await col.getFullList({ filter: pb.filter('title = {:t}', { t: 'rolled-back' }) });
    assert.equal(afterFailure.length, 0);
  });

  void it('the fields option trims settings and health responses too', async () => {
    const settings = await admin.settings.getAll({ fields: 'batch.enabled,meta.appName' });
    assert.deepEqual(Object.keys(settings).sort(), ['batch', 'meta']);
    assert.deepEqual(Object.keys(settings.batch as object), ['enabled']);
    assert.deepEqual(await client().health.check({ fields: 'code' }), { code: 200 });
  });

  void it('health.check answers healthy', async () => {
    const health = await client().health.check();
    assert.equal(health.code, 200);
    assert.equal(health.message, 'API is healthy.');
    assert.deepEqual(health.data, {});
    const asAdmin = await admin.health.check();
    assert.equal(asAdmin.code, 200);
    assert.equal(typeof asAdmin.data.canBackup, 'boolean');
  });
});
