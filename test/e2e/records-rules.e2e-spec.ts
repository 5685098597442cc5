import assert from 'node:assert/strict';

import {
  absent,
  any,
  LOCKED_RULES,
  OPEN_RULES,
  OWNER_RULES,
  relation,
  runScenarios,
  ScenarioContext,
  text,
} from '@lib/testing';

/** Users alice and bob; `notes` (owner → users) with OWNER_RULES; one note each. */
async function notes(t: ScenarioContext): Promise<void> {
  const alice = await t.makeUser({}, 'users', 'alice');
  const bob = await t.makeUser({}, 'users', 'bob');
  await t.createCollection({
    name: 'notes',
    ...OWNER_RULES,
    fields: [text('title'), relation('owner', '_pb_users_auth_', { maxSelect: 1 })],
  });
  t.vars.aliceNote = (await t.createRecord('notes', { title: 'a', owner: alice.record.id })).id;
  t.vars.bobNote = (await t.createRecord('notes', { title: 'b', owner: bob.record.id })).id;
}
const as = (who: 'alice' | 'bob') => async (t: ScenarioContext) => t.users[who].token;
const aliceNote = (t: ScenarioContext) => t.records('notes', t.vars.aliceNote);

runScenarios('expression rules with two users', [
  {
    name: 'list: alice sees only her note',
    method: 'GET',
    url: (t) => t.records('notes'),
    auth: as('alice'),
    before: notes,
    expectStatus: 200,
    expectEvents: { '*': 0 },
    expectBody: (t) => ({ totalItems: 1, items: [{ id: t.vars.aliceNote }] }),
  },
  {
    name: 'list: bob sees only his note',
    method: 'GET',
    url: (t) => t.records('notes'),
    auth: as('bob'),
    before: notes,
    expectStatus: 200,
    expectEvents: { '*': 0 },
    expectBody: (t) => ({ totalItems: 1, items: [{ id: t.vars.bobNote }] }),
  },
  {
    name: 'list: guest gets 200 and nothing',
    method: 'GET',
    url: (t) => t.records('notes'),
    before: notes,
    expectStatus: 200,
    expectEvents: { '*': 0 },
    expectBody: { totalItems: 0, items: [] },
  },
  {
    name: 'list: a filter cannot widen the rule',
    method: 'GET',
    url: (t) => t.records('notes', undefined, `?filter=${encodeURIComponent('id != "" || 1 = 1')}`),
    auth: as('bob'),
    before: notes,
    expectStatus: 200,
    expectEvents: { '*': 0 },
    expectBody: { totalItems: 1 },
  },
  {
    name: 'list: superuser sees both',
    method: 'GET',
    url: (t) => t.records('notes'),
    auth: 'superuser',
    before: notes,
    expectStatus: 200,
    expectEvents: { '*': 0 },
    expectBody: { totalItems: 2 },
  },
  {
    name: 'view: owner → 200',
    method: 'GET',
    url: aliceNote,
    auth: as('alice'),
    before: notes,
    expectStatus: 200,
    expectEvents: { '*': 0 },
    expectBody: { title: 'a' },
  },
  {
    name: 'view: other user → 404',
    method: 'GET',
    url: aliceNote,
    auth: as('bob'),
    before: notes,
    expectStatus: 404,
    expectEvents: { '*': 0 },
    expectBody: { status: 404, data: {} },
  },
  { name: 'view: guest → 404', method: 'GET', url: aliceNote, before: notes, expectStatus: 404 },
  {
    name: 'update: other user → 404, unchanged',
    method: 'PATCH',
    url: aliceNote,
    body: { title: 'hacked' },
    auth: as('bob'),
    before: notes,
    expectStatus: 404,
    expectEvents: { '*': 0 },
    after: async (t) => assert.equal((await t.findRecord('notes', t.vars.aliceNote))?.title, 'a'),
  },
  {
    name: 'update: owner → 200',
    method: 'PATCH',
    url: aliceNote,
    body: { title: 'mine' },
    auth: as('alice'),
    before: notes,
    expectStatus: 200,
    expectEvents: { 'record.updated': 1, '*': 0 },
    expectBody: { title: 'mine' },
  },
  {
    name: 'delete: other user → 404, still there',
    method: 'DELETE',
    url: aliceNote,
    auth: as('bob'),
    before: notes,
    expectStatus: 404,
    expectEvents: { '*': 0 },
    after: async (t) => assert.ok(await t.findRecord('notes', t.vars.aliceNote)),
  },
  {
    name: 'delete: owner → 204',
    method: 'DELETE',
    url: aliceNote,
    auth: as('alice'),
    before: notes,
    expectStatus: 204,
    expectEvents: { 'record.deleted': 1, '*': 0 },
    after: async (t) => assert.equal(await t.findRecord('notes', t.vars.aliceNote), undefined),
  },
  {
    name: 'create: guest fails the rule → 400, nothing stored',
    method: 'POST',
    url: (t) => t.records('notes'),
    body: { title: 'anon' },
    before: notes,
    expectStatus: 400,
    expectEvents: { '*': 0 },
    expectBody: { status: 400, message: 'Failed to create record.' },
    after: async (t) => assert.equal(await t.countRecords('notes'), 2),
  },
  {
    name: 'create: for another owner → 400',
    method: 'POST',
    url: (t) => t.records('notes'),
    body: (t) => ({ title: 'forged', owner: t.users.bob.record.id }),
    auth: as('alice'),
    before: notes,
    expectStatus: 400,
    expectEvents: { '*': 0 },
    after: async (t) => assert.equal(await t.countRecords('notes'), 2),
  },
  {
    name: 'create: for oneself → 200',
    method: 'POST',
    url: (t) => t.records('notes'),
    body: (t) => ({ title: 'own', owner: t.users.alice.record.id }),
    auth: as('alice'),
    before: notes,
    expectStatus: 200,
    expectEvents: { 'record.created': 1, '*': 0 },
    expectBody: (t) => ({ owner: t.users.alice.record.id }),
  },
  {
    name: 'updateRule with @request.body.owner:isset = false blocks re-owning → 404',
    method: 'PATCH',
    url: aliceNote,
    body: (t) => ({ owner: t.users.bob.record.id }),
    auth: as('alice'),
    before: async (t) => {
      await notes(t);
      await t.su.patch(`/api/collections/${t.col('notes')}`, {
        updateRule: 'owner = @request.auth.id && @request.body.owner:isset = false',
      });
    },
    expectStatus: 404,
    expectEvents: { '*': 0 },
    after: async (t) => assert.equal((await t.findRecord('notes', t.vars.aliceNote))?.owner, t.users.alice.record.id),
  },
  {
    name: 'createRule sees the new values (@request.body and fields)',
    method: 'POST',
    url: (t) => t.records('gated'),
    body: { title: 'forbidden' },
    before: async (t) => {
      await t.createCollection({
        name: 'gated',
        ...OPEN_RULES,
        createRule: 'title != "forbidden" && @request.body.title:isset = true',
        fields: [text('title')],
      });
    },
    expectStatus: 400,
    after: async (t) => {
      assert.equal((await t.request('POST', t.records('gated'), { body: { title: 'fine' } })).status, 200);
      assert.equal((await t.request('POST', t.records('gated'), { body: {} })).status, 400);
    },
  },
]);

runScenarios('null and empty rules', [
  ...(['GET', 'PATCH', 'DELETE'] as const).map((method) => ({
    name: `null rule: user ${method} on a missing id → 403 (not 404)`,
    method,
    url: (t: ScenarioContext) => t.records('locked', 'missingmissing1'),
    body: method === 'PATCH' ? { title: 'x' } : undefined,
    before: async (t: ScenarioContext) => {
      await t.createCollection({ name: 'locked', ...LOCKED_RULES, fields: [text('title')] });
      t.auth(await t.makeUser());
    },
    expectStatus: 403,
    expectBody: { status: 403, message: 'Only superusers can perform this action.', data: {} },
  })),
  {
    name: 'empty rules: a guest can do everything',
    method: 'DELETE',
    url: (t) => t.records('open', t.vars.id),
    before: async (t) => {
      await t.createCollection({ name: 'open', ...OPEN_RULES, fields: [text('title')] });
      const created = await t.request('POST', t.records('open'), { body: { title: 'g' } });
      t.vars.id = created.json<{ id: string }>().id;
      assert.equal((await t.request('PATCH', t.records('open', t.vars.id), { body: { title: 'h' } })).status, 200);
      assert.equal((await t.request('GET', t.records('open', t.vars.id))).status, 200);
    },
    expectStatus: 204,
    expectEvents: { 'record.deleted': 1, '*': 0 },
  },
  {
    name: 'an invalid token is ignored: null rule gives 403, not 401',
    method: 'GET',
    url: (t) => t.records('locked'),
    headers: { authorization: 'garbage.token.here' },
    before: async (t) => {
      await t.createCollection({ name: 'locked', ...LOCKED_RULES, fields: [text('title')] });
    },
    expectStatus: 403,
    expectEvents: { '*': 0 },
  },
]);

runScenarios('the users collection', [
  {
    name: 'a user views itself (with email)',
    method: 'GET',
    url: (t) => t.records('users', t.users.alice.record.id),
    auth: as('alice'),
    before: notes,
    expectStatus: 200,
    expectEvents: { '*': 0 },
    expectBody: (t) => ({ email: t.users.alice.email, verified: false, password: absent(), tokenKey: absent() }),
  },
  {
    name: 'a user cannot view another → 404',
    method: 'GET',
    url: (t) => t.records('users', t.users.bob.record.id),
    auth: as('alice'),
    before: notes,
    expectStatus: 404,
    expectEvents: { '*': 0 },
  },
  {
    name: 'list as a user → only itself',
    method: 'GET',
    url: '/api/collections/users/records',
    auth: as('alice'),
    before: notes,
    expectStatus: 200,
    expectEvents: { '*': 0 },
    expectBody: (t) => ({ totalItems: 1, items: [{ id: t.users.alice.record.id }] }),
  },
  {
    name: 'list as guest → empty',
    method: 'GET',
    url: '/api/collections/users/records',
    before: notes,
    expectStatus: 200,
    expectEvents: { '*': 0 },
    expectBody: { totalItems: 0, items: [] },
  },
  {
    name: 'registration: email hidden in the response unless visible, no password',
    method: 'POST',
    url: '/api/collections/users/records',
    body: {
      email: `reg_${Date.now()}@example.com`,
      password: 'Secret-12345',
      passwordConfirm: 'Secret-12345',
      name: 'Reg',
    },
    expectStatus: 200,
    expectBody: {
      collectionId: '_pb_users_auth_',
      name: 'Reg',
      verified: false,
      emailVisibility: false,
      password: absent(),
      tokenKey: absent(),
      passwordConfirm: absent(),
    },
  },
  {
    name: 'registration: missing password and confirm',
    method: 'POST',
    url: '/api/collections/users/records',
    body: { email: `nopw_${Date.now()}@example.com` },
    expectStatus: 400,
    expectEvents: { '*': 0 },
    expectBody: {
      data: { password: { code: 'validation_required' }, passwordConfirm: { code: 'validation_required' } },
    },
  },
  {
    name: 'registration: guest may not set verified=true',
    method: 'POST',
    url: '/api/collections/users/records',
    body: {
      email: `ver_${Date.now()}@example.com`,
      password: 'Secret-12345',
      passwordConfirm: 'Secret-12345',
      verified: true,
    },
    expectStatus: 400,
    expectEvents: { '*': 0 },
    expectBody: { data: { verified: { code: any(String) } } },
  },
  {
    name: 'a user updating another → 404',
    method: 'PATCH',
    url: (t) => t.records('users', t.users.bob.record.id),
    body: { name: 'pwned' },
    auth: as('alice'),
    before: notes,
    expectStatus: 404,
    expectEvents: { '*': 0 },
  },
  {
    name: 'email visible to others only with emailVisibility',
    method: 'GET',
    url: (t) => t.records('members', undefined, '?sort=name'),
    auth: as('alice'),
    before: async (t) => {
      await notes(t);
      await t.createCollection({ name: 'members', type: 'auth', ...OPEN_RULES, fields: [text('name')] });
      await t.makeUser({ name: 'hidden', emailVisibility: false }, 'members', 'm1');
      await t.makeUser({ name: 'shown', emailVisibility: true }, 'members', 'm2');
    },
    expectStatus: 200,
    expectEvents: { '*': 0 },
    expectBody: (t) => ({
      items: [
        { name: 'hidden', email: absent() },
        { name: 'shown', email: t.users.m2.email },
      ],
    }),
  },
]);
