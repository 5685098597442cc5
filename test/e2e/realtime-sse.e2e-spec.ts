// Realtime over SSE with the official SDK (`pocketbase` 0.28, EventSource from `eventsource`):
// per-user rule filtering, guest vs auth, superuser hidden fields, options, deletes and cascades,
// joined rules (the batched SQL path) and batch rollbacks.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import PocketBase from 'pocketbase';

import {
  DEFAULT_PASSWORD,
  OPEN_RULES,
  OWNER_RULES,
  RunningServer,
  startTestServer,
  uniqueEmail,
  uniqueSuffix,
} from '@lib/testing';

import { Collector, installEventSource } from './support/realtime-helpers';

installEventSource();

let server: RunningServer | undefined;
let admin: PocketBase;
let alice: { pb: PocketBase; id: string };
let bob: { pb: PocketBase; id: string };
const s = uniqueSuffix(6);
const todos = `rt_todos_${s}`;
const notes = `rt_notes_${s}`;
const comments = `rt_comments_${s}`;
const pubs = `rt_pubs_${s}`;
const open: PocketBase[] = [];

function client(): PocketBase {
  assert.ok(server);
  const pb = new PocketBase(server.baseUrl);
  pb.autoCancellation(false);
  open.push(pb);
  return pb;
}

async function register(): Promise<{ pb: PocketBase; id: string }> {
  const email = uniqueEmail('rt');
  const created = await admin
    .collection('users')
    .create({ email, password: DEFAULT_PASSWORD, passwordConfirm: DEFAULT_PASSWORD, verified: true });
  const pb = client();
  await pb.collection('users').authWithPassword(email, DEFAULT_PASSWORD);
  return { pb, id: created.id };
}

void describe('realtime SSE with the JS SDK', () => {
  before(async () => {
    server = await startTestServer(process.env);
    admin = client();
    await admin.collection('_superusers').authWithPassword(server.superuserEmail, server.superuserPassword);
    const usersId = (await admin.collections.getOne('users')).id;
    const owner = { name: 'owner', type: 'relation', collectionId: usersId, maxSelect: 1 };
    const todo = await admin.collections.create({
      name: todos,
      ...OWNER_RULES,
      fields: [{ name: 'title', type: 'text' }, owner, { name: 'secret', type: 'text', hidden: true }],
    });
    const todoRel = { name: 'todo', type: 'relation', collectionId: todo.id, maxSelect: 1, cascadeDelete: true };
    await admin.collections.create({
      name: notes,
      ...OWNER_RULES,
      fields: [{ name: 'body', type: 'text' }, owner, todoRel],
    });
    const joined = 'todo.owner = @request.auth.id';
    await admin.collections.create({
      name: comments,
      listRule: joined,
      viewRule: joined,
      fields: [
        { name: 'text', type: 'text' },
        { ...todoRel, cascadeDelete: false },
      ],
    });
    await admin.collections.create({ name: pubs, ...OPEN_RULES, fields: [{ name: 'title', type: 'text' }] });
    alice = await register();
    bob = await register();
  });

  after(async () => {
    for (const pb of open) {
      await pb.realtime.unsubscribe().catch(() => undefined);
    }
    await server?.stop();
  });

  void it("subscribe('*') delivers a user's own create/update/delete and nothing of another user's", async () => {
    const a = new Collector();
    const b = new Collector();
    await alice.pb.collection(todos).subscribe('*', a.push);
    await bob.pb.collection(todos).subscribe('*', b.push);
    const mine = await alice.pb.collection(todos).create({ title: 'a1', owner: alice.id });
    await alice.pb.collection(todos).update(mine.id, { title: 'a1 edited' });
    await alice.pb.collection(todos).delete(mine.id);
    const theirs = await bob.pb.collection(todos).create({ title: 'b1', owner: bob.id });
    const got = await a.count(3, "alice's three events");
    assert.deepEqual(
      got.map((m) => [m.action, m.record.id, m.record.title]),
      [
        ['create', mine.id, 'a1'],
        ['update', mine.id, 'a1 edited'],
        ['delete', mine.id, 'a1 edited'],
      ],
    );
    // bob's create came after alice's writes: every event of them for bob is in by now.
    await b.find((m) => m.record.id === theirs.id, "bob's create");
    await a.fence(() => alice.pb.collection(todos).create({ title: 'marker', owner: alice.id }));
    assert.equal(a.items.length, 3, JSON.stringify(a.items));
    assert.ok(!b.items.some((m) => m.record.id === mine.id), 'bob saw a record of alice');
    assert.equal(got[0].record.collectionName, todos);
    assert.equal('secret' in got[0].record, false, 'hidden field sent to a non-superuser');
    await alice.pb.collection(todos).unsubscribe();
    await bob.pb.collection(todos).unsubscribe();
  });

  void it('a superuser receives every record with its hidden fields', async () => {
    const su = new Collector();
    await admin.collection(todos).subscribe('*', su.push);
    const rec = await admin.collection(todos).create({ title: 'with secret', owner: alice.id, secret: 's3cr3t' });
    const m = await su.find((x) => x.record.id === rec.id, 'superuser message');
    assert.equal(m.record.secret, 's3cr3t');
    await admin.collection(todos).unsubscribe();
  });

  void it('subscribe(id) with expand/fields options, and a filter option on *', async () => {
    const rec = await alice.pb.collection(todos).create({ title: 'one', owner: alice.id });
    const byId = new Collector();
    const filtered = new Collector();
    await alice.pb
      .collection(todos)
      .subscribe(rec.id, byId.push, { expand: 'owner', fields: 'id,title,expand.owner.id' });
    await alice.pb.collection(todos).subscribe('*', filtered.push, { filter: 'title ~ "keep"' });
    await alice.pb.collection(todos).update(rec.id, { title: 'one keep' });
    // The update, not necessarily the first message: in the distributed set the create's event travels through
    // Redis and may reach the realtime service after this subscription did.
    const m = await byId.find((x) => x.action === 'update', 'record topic update');
    assert.deepEqual(m.record, { id: rec.id, title: 'one keep', expand: { owner: { id: alice.id } } });
    await alice.pb.collection(todos).create({ title: 'drop me', owner: alice.id });
    await alice.pb.collection(todos).create({ title: 'keep me', owner: alice.id });
    await filtered.find((x) => x.record.title === 'keep me', 'filtered create');
    await filtered.fence(() => alice.pb.collection(todos).create({ title: 'keep marker', owner: alice.id }));
    assert.deepEqual(
      filtered.items.map((x) => x.record.title),
      ['one keep', 'keep me'],
    );
    await alice.pb.collection(todos).unsubscribe();
  });

  void it('guests get public records but none behind an owner rule', async () => {
    const guest = client();
    const g = new Collector();
    const gp = new Collector();
    await guest.collection(todos).subscribe('*', g.push);
    await guest.collection(pubs).subscribe('*', gp.push);
    await alice.pb.collection(todos).create({ title: 'private', owner: alice.id });
    const pub = await admin.collection(pubs).create({ title: 'public' });
    // One connection, events in commit order: the public create came after the private one.
    await gp.find((m) => m.record.id === pub.id, 'public create');
    assert.equal(g.items.length, 0, JSON.stringify(g.items));
    await guest.realtime.unsubscribe();
  });

  void it('cascade-deleted records produce their own delete events', async () => {
    const todo = await alice.pb.collection(todos).create({ title: 'parent', owner: alice.id });
    const note = await alice.pb.collection(notes).create({ body: 'child', owner: alice.id, todo: todo.id });
    const n = new Collector();
    await alice.pb.collection(notes).subscribe('*', n.push);
    await alice.pb.collection(todos).delete(todo.id);
    const m = await n.find((x) => x.action === 'delete', 'cascade delete event');
    assert.equal(m.record.id, note.id);
    assert.equal(m.record.body, 'child');
    await alice.pb.collection(notes).unsubscribe();
  });

  void it('a rule with a join is checked per user (batched SQL) for creates and deletes', async () => {
    const aTodo = await alice.pb.collection(todos).create({ title: 'a', owner: alice.id });
    const bTodo = await bob.pb.collection(todos).create({ title: 'b', owner: bob.id });
    const a = new Collector();
    const b = new Collector();
    await alice.pb.collection(comments).subscribe('*', a.push);
    await bob.pb.collection(comments).subscribe('*', b.push);
    const ca = await admin.collection(comments).create({ text: 'for alice', todo: aTodo.id });
    const cb = await admin.collection(comments).create({ text: 'for bob', todo: bTodo.id });
    await admin.collection(comments).delete(ca.id);
    await a.count(2, 'create + delete for alice');
    await b.count(1, 'create for bob');
    await b.fence(() => admin.collection(comments).create({ text: 'marker', todo: bTodo.id }));
    await a.fence(() => admin.collection(comments).create({ text: 'marker', todo: aTodo.id }));
    assert.deepEqual(
      a.items.map((m) => [m.action, m.record.id]),
      [
        ['create', ca.id],
        ['delete', ca.id],
      ],
    );
    assert.deepEqual(
      b.items.map((m) => [m.action, m.record.id]),
      [['create', cb.id]],
    );
    await alice.pb.collection(comments).unsubscribe();
    await bob.pb.collection(comments).unsubscribe();
  });

  void it('a failed batch publishes nothing', async () => {
    await admin.settings.update({ batch: { enabled: true, maxRequests: 50 } });
    const a = new Collector();
    await alice.pb.collection(todos).subscribe('*', a.push);
    const batch = alice.pb.createBatch();
    batch.collection(todos).create({ title: 'rolled back', owner: alice.id });
    batch.collection(todos).create({ title: 'not mine', owner: bob.id });
    await assert.rejects(batch.send());
    const after = await alice.pb.collection(todos).create({ title: 'after', owner: alice.id });
    // Created after the batch failed: anything the batch published would have come first.
    await a.find((m) => m.record.id === after.id, 'the create after the failed batch');
    assert.deepEqual(
      a.items.map((m) => m.record.title),
      ['after'],
    );
    await alice.pb.collection(todos).unsubscribe();
  });

  void it('a password change (new tokenKey) turns the live client into a guest', async () => {
    const carol = await register();
    const c = new Collector();
    const publicOnes = new Collector(); // open rules: still delivered to the client once it is a guest
    await carol.pb.collection(todos).subscribe('*', c.push);
    await carol.pb.collection(pubs).subscribe('*', publicOnes.push);
    await carol.pb.collection(todos).create({ title: 'before', owner: carol.id });
    await c.count(1, 'create before the password change');
    const email = carol.pb.authStore.record?.email as string;
    await admin
      .collection('users')
      .update(carol.id, { password: 'Other-Passw0rd-9', passwordConfirm: 'Other-Passw0rd-9' });
    const other = client();
    await other.collection('users').authWithPassword(email, 'Other-Passw0rd-9');
    await other.collection(todos).create({ title: 'after', owner: carol.id });
    await publicOnes.fence(() => admin.collection(pubs).create({ title: 'marker' }));
    assert.deepEqual(
      c.items.map((m) => m.record.title),
      ['before'],
    );
    await carol.pb.realtime.unsubscribe();
  });
});
