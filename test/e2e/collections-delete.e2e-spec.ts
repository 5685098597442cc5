import assert from 'node:assert/strict';

import { OPEN_RULES, relation, runScenarios, ScenarioContext, text } from '@lib/testing';

/** parents ← children (relation `parent`, options given), one parent with one child. */
async function parentChild(t: ScenarioContext, relOptions: Record<string, unknown>): Promise<void> {
  const parents = await t.createCollection({ name: 'parents', ...OPEN_RULES, fields: [text('title')] });
  await t.createCollection({
    name: 'children',
    ...OPEN_RULES,
    fields: [text('title'), relation('parent', parents.id, { maxSelect: 1, ...relOptions })],
  });
  t.vars.parent = (await t.createRecord('parents', { title: 'p' })).id;
  t.vars.child = (await t.createRecord('children', { title: 'c', parent: t.vars.parent })).id;
}

async function collectionStatus(t: ScenarioContext, key: string): Promise<number> {
  return (await t.su.get(`/api/collections/${t.col(key)}`)).status;
}

runScenarios('DELETE /api/collections/:idOrName', [
  {
    name: 'guest → 401',
    method: 'DELETE',
    url: (t) => `/api/collections/${t.col('posts')}`,
    before: async (t) => {
      await t.createCollection({ name: 'posts', fields: [text('title')] });
    },
    expectStatus: 401,
    expectBody: { status: 401, data: {} },
    after: async (t) => assert.equal(await collectionStatus(t, 'posts'), 200),
  },
  {
    name: 'regular user → 403',
    method: 'DELETE',
    url: (t) => `/api/collections/${t.col('posts')}`,
    before: async (t) => {
      await t.createCollection({ name: 'posts', fields: [text('title')] });
      t.auth(await t.makeUser());
    },
    expectStatus: 403,
    expectBody: { status: 403, data: {} },
    after: async (t) => assert.equal(await collectionStatus(t, 'posts'), 200),
  },
  {
    name: 'missing collection → 404',
    method: 'DELETE',
    url: '/api/collections/missing_collection_x',
    auth: 'superuser',
    expectStatus: 404,
    expectBody: { status: 404, data: {} },
  },
  {
    name: 'by name → 204 and gone (records API too)',
    method: 'DELETE',
    url: (t) => `/api/collections/${t.col('posts')}`,
    auth: 'superuser',
    before: async (t) => {
      await t.createCollection({ name: 'posts', ...OPEN_RULES, fields: [text('title')] });
      await t.createRecord('posts', { title: 'x' });
    },
    expectStatus: 204,
    after: async (t, res) => {
      assert.equal(res.text, '');
      assert.equal(await collectionStatus(t, 'posts'), 404);
      assert.equal((await t.su.get(t.records('posts'))).status, 404);
    },
  },
  {
    name: 'by id → 204',
    method: 'DELETE',
    url: (t) => `/api/collections/${t.id('posts')}`,
    auth: 'superuser',
    before: async (t) => {
      await t.createCollection({ name: 'posts', fields: [text('title')] });
    },
    expectStatus: 204,
    after: async (t) => assert.equal(await collectionStatus(t, 'posts'), 404),
  },
  {
    name: 'system collection → 400',
    method: 'DELETE',
    url: '/api/collections/_superusers',
    auth: 'superuser',
    expectStatus: 400,
    expectBody: { status: 400, data: {} },
    after: async (t) => assert.equal((await t.su.get('/api/collections/_superusers')).status, 200),
  },
  {
    name: 'collection referenced by a relation field → 400',
    method: 'DELETE',
    url: (t) => `/api/collections/${t.col('parents')}`,
    auth: 'superuser',
    before: (t) => parentChild(t, {}),
    expectStatus: 400,
    expectBody: { status: 400, data: {} },
    after: async (t) => assert.equal(await collectionStatus(t, 'parents'), 200),
  },
  {
    name: 'a view collection → 204',
    method: 'DELETE',
    url: (t) => `/api/collections/${t.col('v')}`,
    auth: 'superuser',
    before: async (t) => {
      await t.createCollection({ name: 'posts', fields: [text('title')] });
      await t.createCollection({ name: 'v', type: 'view', viewQuery: `SELECT id, title FROM ${t.col('posts')}` });
    },
    expectStatus: 204,
    after: async (t) => assert.equal(await collectionStatus(t, 'v'), 404),
  },
  {
    name: 'the source of a view → 400 (view dependency)',
    method: 'DELETE',
    url: (t) => `/api/collections/${t.col('posts')}`,
    auth: 'superuser',
    before: async (t) => {
      await t.createCollection({ name: 'posts', fields: [text('title')] });
      await t.createCollection({ name: 'v', type: 'view', viewQuery: `SELECT id, title FROM ${t.col('posts')}` });
    },
    expectStatus: 400,
    expectBody: { status: 400 },
    after: async (t) => assert.equal(await collectionStatus(t, 'posts'), 200),
  },
]);

runScenarios('DELETE /api/collections/:idOrName/truncate', [
  {
    name: 'guest → 401',
    method: 'DELETE',
    url: '/api/collections/users/truncate',
    expectStatus: 401,
    expectBody: { status: 401, data: {} },
  },
  {
    name: 'regular user → 403',
    method: 'DELETE',
    url: '/api/collections/users/truncate',
    before: async (t) => t.auth(await t.makeUser()),
    expectStatus: 403,
    expectBody: { status: 403, data: {} },
  },
  {
    name: 'superuser → 204 and no records left',
    method: 'DELETE',
    url: (t) => `/api/collections/${t.col('posts')}/truncate`,
    auth: 'superuser',
    before: async (t) => {
      await t.createCollection({ name: 'posts', ...OPEN_RULES, fields: [text('title')] });
      for (const title of ['a', 'b', 'c']) {
        await t.createRecord('posts', { title });
      }
    },
    expectStatus: 204,
    after: async (t) => {
      assert.equal(await t.countRecords('posts'), 0);
      assert.equal(await collectionStatus(t, 'posts'), 200);
    },
  },
  {
    name: 'cascadeDelete references are deleted with it',
    method: 'DELETE',
    url: (t) => `/api/collections/${t.col('parents')}/truncate`,
    auth: 'superuser',
    before: (t) => parentChild(t, { cascadeDelete: true }),
    expectStatus: 204,
    after: async (t) => {
      assert.equal(await t.countRecords('parents'), 0);
      assert.equal(await t.countRecords('children'), 0);
    },
  },
  {
    name: 'required non-cascade reference blocks it → 400, nothing deleted',
    method: 'DELETE',
    url: (t) => `/api/collections/${t.col('parents')}/truncate`,
    auth: 'superuser',
    before: (t) => parentChild(t, { required: true, cascadeDelete: false }),
    expectStatus: 400,
    expectBody: { status: 400, data: {} },
    after: async (t) => {
      assert.equal(await t.countRecords('parents'), 1);
      assert.equal(await t.countRecords('children'), 1);
    },
  },
  {
    name: 'view collection → 400',
    method: 'DELETE',
    url: (t) => `/api/collections/${t.col('v')}/truncate`,
    auth: 'superuser',
    before: async (t) => {
      await t.createCollection({ name: 'posts', fields: [text('title')] });
      await t.createCollection({ name: 'v', type: 'view', viewQuery: `SELECT id, title FROM ${t.col('posts')}` });
    },
    expectStatus: 400,
    expectBody: { status: 400, data: {} },
  },
  {
    name: 'missing collection → 404',
    method: 'DELETE',
    url: '/api/collections/missing_collection_x/truncate',
    auth: 'superuser',
    expectStatus: 404,
    expectBody: { status: 404, data: {} },
  },
]);
