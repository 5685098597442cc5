import assert from 'node:assert/strict';

import { any, CollectionJson, FieldJson, num, OPEN_RULES, runScenarios, ScenarioContext, text } from '@lib/testing';

const code = (c: string) => ({ code: c, message: any(String) });

/** posts(title, views) with one record {title:'hello', views:3}. */
async function posts(t: ScenarioContext): Promise<CollectionJson> {
  const c = await t.createCollection({ name: 'posts', ...OPEN_RULES, fields: [text('title'), num('views')] });
  t.vars.rec = (await t.createRecord('posts', { title: 'hello', views: 3 })).id;
  return c;
}

function field(c: CollectionJson, name: string): FieldJson {
  const f = c.fields.find((x) => x.name === name);
  assert.ok(f, `field ${name} missing`);
  return f;
}

const url = (t: ScenarioContext): string => `/api/collections/${t.col('posts')}`;

runScenarios('PATCH /api/collections/:idOrName', [
  {
    name: 'guest → 401',
    method: 'PATCH',
    url: '/api/collections/users',
    body: {},
    expectStatus: 401,
    expectBody: { status: 401, data: {} },
  },
  {
    name: 'regular user → 403',
    method: 'PATCH',
    url: '/api/collections/users',
    body: { listRule: '' },
    before: async (t) => t.auth(await t.makeUser()),
    expectStatus: 403,
    expectBody: { status: 403, data: {} },
  },
  {
    name: 'missing collection → 404',
    method: 'PATCH',
    url: '/api/collections/missing_collection_x',
    body: {},
    auth: 'superuser',
    expectStatus: 404,
    expectBody: { status: 404, data: {} },
  },
  {
    name: 'empty body → 200, unchanged',
    method: 'PATCH',
    url,
    body: {},
    auth: 'superuser',
    before: (t) => posts(t).then(() => undefined),
    expectStatus: 200,
    expectBody: (t) => ({
      id: t.id('posts'),
      name: t.col('posts'),
      listRule: '',
      fields: [{ name: 'id' }, { name: 'title' }, { name: 'views' }],
    }),
  },
  {
    name: 'rename the collection: records follow, old name 404',
    method: 'PATCH',
    url,
    body: (t) => ({ name: `renamed_${t.suffix}` }),
    auth: 'superuser',
    before: (t) => posts(t).then(() => undefined),
    expectStatus: 200,
    expectBody: (t) => ({ id: t.id('posts'), name: `renamed_${t.suffix}` }),
    after: async (t) => {
      assert.equal((await t.su.get(t.records('posts'))).status, 404);
      const rec = await t.su.expectOk<{ title: string }>(
        'GET',
        `/api/collections/renamed_${t.suffix}/records/${t.vars.rec}`,
      );
      assert.equal(rec.title, 'hello');
    },
  },
  {
    name: 'rename to an existing name → 400',
    method: 'PATCH',
    url,
    body: { name: 'users' },
    auth: 'superuser',
    before: (t) => posts(t).then(() => undefined),
    expectStatus: 400,
    expectBody: { status: 400, data: { name: code('validation_collection_name_exists') } },
  },
  {
    name: 'rename a field (same id) keeps its data',
    method: 'PATCH',
    url,
    body: (t) => ({
      fields: t.collections.posts.fields.map((f) => (f.name === 'title' ? { ...f, name: 'headline' } : f)),
    }),
    auth: 'superuser',
    before: (t) => posts(t).then(() => undefined),
    expectStatus: 200,
    expectContains: ['"name":"headline"'],
    after: async (t) => {
      const rec = await t.findRecord('posts', t.vars.rec);
      assert.equal(rec?.headline, 'hello');
      assert.equal(rec?.title, undefined);
    },
  },
  {
    name: 'add a field: existing records get its zero value',
    method: 'PATCH',
    url,
    body: (t) => ({
      fields: [...t.collections.posts.fields, { name: 'score', type: 'number' }, { name: 'note', type: 'text' }],
    }),
    auth: 'superuser',
    before: (t) => posts(t).then(() => undefined),
    expectStatus: 200,
    after: async (t, res) => {
      field(res.json<CollectionJson>(), 'score');
      const rec = await t.findRecord('posts', t.vars.rec);
      assert.equal(rec?.score, 0);
      assert.equal(rec?.note, '');
      assert.equal(rec?.views, 3);
    },
  },
  {
    name: 'remove a field: the key disappears from records',
    method: 'PATCH',
    url,
    body: (t) => ({ fields: t.collections.posts.fields.filter((f) => f.name !== 'views') }),
    auth: 'superuser',
    before: (t) => posts(t).then(() => undefined),
    expectStatus: 200,
    expectNotContains: ['"name":"views"'],
    after: async (t) => {
      const rec = await t.findRecord('posts', t.vars.rec);
      assert.equal(rec?.title, 'hello');
      assert.ok(rec && !('views' in rec), 'views should be gone');
    },
  },
  {
    name: 'remove a field a view reads through another view → 400 (view dependency), nothing changed',
    method: 'PATCH',
    url,
    body: (t) => ({ fields: t.collections.posts.fields.filter((f) => f.name !== 'views') }),
    auth: 'superuser',
    before: async (t) => {
      await posts(t);
      // Views name their columns (`*` is refused), so the first view breaks too; which views read a changed table
      // through other views is covered by view-dependencies.spec.
      await t.createCollection({
        name: 'everything',
        type: 'view',
        viewQuery: `SELECT id, views FROM ${t.col('posts')}`,
      });
      await t.createCollection({
        name: 'counts',
        type: 'view',
        viewQuery: `SELECT id, views FROM ${t.col('everything')}`,
      });
    },
    expectStatus: 400,
    expectBody: { status: 400, data: { view: code('validation_view_dependency') } },
    after: async (t) => {
      const rec = await t.findRecord('posts', t.vars.rec);
      assert.equal(rec?.views, 3, 'the field and its data are still there');
      assert.equal((await t.su.get(t.records('counts'))).status, 200);
    },
  },
  {
    name: 'missing system fields are added back (id kept)',
    method: 'PATCH',
    url,
    body: (t) => ({ fields: t.collections.posts.fields.filter((f) => f.name !== 'id') }),
    auth: 'superuser',
    before: (t) => posts(t).then(() => undefined),
    expectStatus: 200,
    expectContains: ['"name":"id"'],
    after: async (t) => assert.equal((await t.findRecord('posts', t.vars.rec))?.id, t.vars.rec),
  },
  {
    name: 'changing a field type → 400',
    method: 'PATCH',
    url,
    body: (t) => ({ fields: t.collections.posts.fields.map((f) => (f.name === 'views' ? { ...f, type: 'text' } : f)) }),
    auth: 'superuser',
    before: (t) => posts(t).then(() => undefined),
    expectStatus: 400,
    expectBody: { data: { fields: { '2': code('validation_field_type_change') } } },
  },
  {
    name: 'changing the collection type → 400',
    method: 'PATCH',
    url,
    body: { type: 'auth' },
    auth: 'superuser',
    before: (t) => posts(t).then(() => undefined),
    expectStatus: 400,
    expectBody: { data: { type: code('validation_collection_type_change') } },
  },
  {
    name: 'renaming a system field of an auth collection → 400',
    method: 'PATCH',
    url: (t) => `/api/collections/${t.col('members')}`,
    body: (t) => ({
      fields: t.collections.members.fields.map((f) => (f.name === 'email' ? { ...f, name: 'mail' } : f)),
    }),
    auth: 'superuser',
    before: async (t) => {
      await t.createCollection({ name: 'members', type: 'auth' });
    },
    expectStatus: 400,
    expectBody: { data: { fields: code('validation_system_field_change') } },
  },
  {
    name: 'reserved field names on update',
    method: 'PATCH',
    url,
    body: (t) => ({ fields: [...t.collections.posts.fields, text('expand'), text('collectionName')] }),
    auth: 'superuser',
    before: (t) => posts(t).then(() => undefined),
    expectStatus: 400,
    expectBody: {
      data: {
        fields: { '3': { name: code('validation_not_in_invalid') }, '4': { name: code('validation_not_in_invalid') } },
      },
    },
  },
  {
    name: 'rules update is reflected and applied',
    method: 'PATCH',
    url,
    body: { listRule: null, viewRule: 'views > 100' },
    auth: 'superuser',
    before: (t) => posts(t).then(() => undefined),
    expectStatus: 200,
    expectBody: { listRule: null, viewRule: 'views > 100' },
    after: async (t) => {
      assert.equal((await t.request('GET', t.records('posts'))).status, 403);
      assert.equal((await t.request('GET', t.records('posts', t.vars.rec))).status, 404);
    },
  },
  {
    name: 'system collection rules cannot change',
    method: 'PATCH',
    url: '/api/collections/_superusers',
    body: { listRule: '' },
    auth: 'superuser',
    expectStatus: 400,
    expectBody: { data: { listRule: code('validation_collection_system_rule_change') } },
    after: async (t) =>
      assert.equal((await t.su.expectOk<CollectionJson>('GET', '/api/collections/_superusers')).listRule, null),
  },
  {
    name: 'unique index over duplicated data → 400, index not added',
    method: 'PATCH',
    url,
    body: (t) => ({ indexes: [`CREATE UNIQUE INDEX idx_dup_${t.suffix} ON x (title)`] }),
    auth: 'superuser',
    before: async (t) => {
      await posts(t);
      await t.createRecord('posts', { title: 'hello' });
    },
    expectStatus: 400,
    expectBody: { status: 400, data: { indexes: any(Object) } },
    after: async (t) => assert.equal((await t.su.expectOk<CollectionJson>('GET', url(t))).indexes.length, 0),
  },
  {
    name: 'auth identityFields must exist with a unique index',
    method: 'PATCH',
    url: (t) => `/api/collections/${t.col('members')}`,
    body: { passwordAuth: { identityFields: ['missing'] } },
    auth: 'superuser',
    before: async (t) => {
      await t.createCollection({ name: 'members', type: 'auth' });
    },
    expectStatus: 400,
    expectBody: { data: { passwordAuth: { identityFields: code('validation_missing_field') } } },
  },
  {
    name: 'view query update re-derives the fields',
    method: 'PATCH',
    url: (t) => `/api/collections/${t.col('v')}`,
    body: (t) => ({ viewQuery: `SELECT id, views FROM ${t.col('posts')}` }),
    auth: 'superuser',
    before: async (t) => {
      await posts(t);
      await t.createCollection({ name: 'v', type: 'view', viewQuery: `SELECT id, title FROM ${t.col('posts')}` });
    },
    expectStatus: 200,
    expectBody: { type: 'view', fields: [{ name: 'id' }, { name: 'views', type: 'number' }] },
  },
]);
