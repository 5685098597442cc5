import assert from 'node:assert/strict';

import {
  any,
  CollectionJson,
  ListJson,
  num,
  OPEN_RULES,
  relation,
  runScenarios,
  ScenarioContext,
  text,
} from '@lib/testing';

const IMPORT = '/api/collections/import';

async function status(t: ScenarioContext, name: string): Promise<number> {
  return (await t.su.get(`/api/collections/${name}`)).status;
}

/** Every collection, all pages (a server shared by many suites may hold more than one page). */
async function allCollections(t: ScenarioContext): Promise<CollectionJson[]> {
  const items: CollectionJson[] = [];
  for (let page = 1; ; page++) {
    const list = await t.su.expectOk<ListJson<CollectionJson>>('GET', `/api/collections?perPage=1000&page=${page}`);
    items.push(...list.items);
    if (page >= list.totalPages) {
      return items;
    }
  }
}

runScenarios('PUT /api/collections/import', [
  {
    name: 'guest → 401',
    method: 'PUT',
    url: IMPORT,
    body: { collections: [] },
    expectStatus: 401,
    expectBody: { status: 401, data: {} },
  },
  {
    name: 'regular user → 403',
    method: 'PUT',
    url: IMPORT,
    body: { collections: [] },
    before: async (t) => t.auth(await t.makeUser()),
    expectStatus: 403,
    expectBody: { status: 403, data: {} },
  },
  {
    name: 'empty collections list → 400',
    method: 'PUT',
    url: IMPORT,
    body: { collections: [] },
    auth: 'superuser',
    expectStatus: 400,
    expectBody: { status: 400, data: { collections: { code: 'validation_required' } } },
  },
  {
    name: 'new collections are created (relations between them resolved)',
    method: 'PUT',
    url: IMPORT,
    body: (t) => ({
      collections: [
        { id: `imp_a_${t.suffix}`, name: `imp_a_${t.suffix}`, type: 'base', ...OPEN_RULES, fields: [text('title')] },
        {
          name: `imp_b_${t.suffix}`,
          type: 'base',
          fields: [{ name: 'a', type: 'relation', collectionId: `imp_a_${t.suffix}`, maxSelect: 1 }],
        },
      ],
    }),
    auth: 'superuser',
    expectStatus: 204,
    after: async (t) => {
      assert.equal(await status(t, `imp_a_${t.suffix}`), 200);
      assert.equal(await status(t, `imp_b_${t.suffix}`), 200);
      await t.su.expectOk('POST', `/api/collections/imp_a_${t.suffix}/records`, { title: 'works' });
    },
  },
  {
    name: 'an invalid item fails the whole import, nothing is created',
    method: 'PUT',
    url: IMPORT,
    body: (t) => ({
      collections: [
        { name: `imp_ok_${t.suffix}`, type: 'base', fields: [text('title')] },
        { name: 'bad name!', type: 'base', fields: [] },
      ],
    }),
    auth: 'superuser',
    expectStatus: 400,
    expectBody: { status: 400, message: 'Failed to import collections.', data: { collections: any(Object) } },
    after: async (t) => assert.equal(await status(t, `imp_ok_${t.suffix}`), 404),
  },
  {
    name: 'existing collection matched by name: rules change, unlisted fields kept',
    method: 'PUT',
    url: IMPORT,
    body: (t) => ({
      collections: [{ name: t.col('posts'), type: 'base', listRule: null, fields: [text('title'), num('extra')] }],
    }),
    auth: 'superuser',
    before: async (t) => {
      await t.createCollection({ name: 'posts', ...OPEN_RULES, fields: [text('title'), num('views')] });
      t.vars.rec = (await t.createRecord('posts', { title: 'keep', views: 7 })).id;
    },
    expectStatus: 204,
    after: async (t) => {
      const c = await t.su.expectOk<CollectionJson>('GET', `/api/collections/${t.col('posts')}`);
      assert.equal(c.id, t.id('posts'));
      assert.equal(c.listRule, null);
      assert.deepEqual(c.fields.map((f) => f.name).sort(), ['extra', 'id', 'title', 'views']);
      const rec = await t.findRecord('posts', t.vars.rec);
      assert.equal(rec?.title, 'keep');
      assert.equal(rec?.views, 7);
    },
  },
  {
    name: 'existing collection matched by id: renamed',
    method: 'PUT',
    url: IMPORT,
    body: (t) => ({
      collections: [{ id: t.id('posts'), name: `imp_ren_${t.suffix}`, type: 'base', fields: [text('title')] }],
    }),
    auth: 'superuser',
    before: async (t) => {
      await t.createCollection({ name: 'posts', fields: [text('title')] });
    },
    expectStatus: 204,
    after: async (t) => {
      assert.equal(await status(t, `imp_ren_${t.suffix}`), 200);
      assert.equal(await status(t, t.col('posts')), 404);
    },
  },
  {
    name: 'deleteMissing removes unlisted fields and unlisted non-system collections',
    method: 'PUT',
    url: IMPORT,
    body: (t) => ({ collections: t.data, deleteMissing: true }),
    auth: 'superuser',
    before: async (t) => {
      await t.createCollection({ name: 'doomed', fields: [text('title')] });
      await t.createCollection({ name: 'kept', fields: [text('title'), num('dropme')] });
      t.data = (await allCollections(t))
        .filter((c) => c.name !== t.col('doomed'))
        .map((c) => (c.name === t.col('kept') ? { ...c, fields: c.fields.filter((f) => f.name !== 'dropme') } : c));
    },
    expectStatus: 204,
    after: async (t) => {
      assert.equal(await status(t, t.col('doomed')), 404);
      const kept = await t.su.expectOk<CollectionJson>('GET', `/api/collections/${t.col('kept')}`);
      assert.deepEqual(kept.fields.map((f) => f.name).sort(), ['id', 'title']);
      assert.equal(await status(t, 'users'), 200);
      assert.equal(await status(t, '_superusers'), 200);
    },
  },
  {
    name: 'deleteMissing drops unlisted collections that relate to each other and a view over them',
    method: 'PUT',
    url: IMPORT,
    body: (t) => ({ collections: t.data, deleteMissing: true }),
    auth: 'superuser',
    before: async (t) => {
      const a = await t.createCollection({ name: 'ring_a', fields: [text('title')] });
      const b = await t.createCollection({ name: 'ring_b', fields: [text('title'), relation('a', a.id)] });
      await t.su.expectOk('PATCH', `/api/collections/${a.id}`, {
        fields: [...a.fields, relation('b', b.id)],
      });
      await t.createCollection({
        name: 'ring_view',
        type: 'view',
        viewQuery: `SELECT id, title FROM ${t.col('ring_a')}`,
      });
      const ring = [t.col('ring_a'), t.col('ring_b'), t.col('ring_view')];
      t.data = (await allCollections(t)).filter((c) => !ring.includes(c.name));
    },
    expectStatus: 204,
    after: async (t) => {
      for (const name of ['ring_a', 'ring_b', 'ring_view']) {
        assert.equal(await status(t, t.col(name)), 404, name);
      }
      assert.equal(await status(t, 'users'), 200);
    },
  },
  {
    name: 'deleteMissing that would drop the table a kept view reads → 400 (view dependency), nothing dropped',
    method: 'PUT',
    url: IMPORT,
    body: (t) => ({ collections: t.data, deleteMissing: true }),
    auth: 'superuser',
    before: async (t) => {
      await t.createCollection({ name: 'source', fields: [text('title')] });
      await t.createCollection({ name: 'reader', type: 'view', viewQuery: `SELECT id, title FROM ${t.col('source')}` });
      t.data = (await allCollections(t)).filter((c) => c.name !== t.col('source'));
    },
    expectStatus: 400,
    expectBody: { status: 400, data: { view: { code: 'validation_view_dependency', message: any(String) } } },
    after: async (t) => {
      assert.equal(await status(t, t.col('source')), 200);
      assert.equal(await status(t, t.col('reader')), 200);
    },
  },
]);
