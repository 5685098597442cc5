// PATCH /api/collections/:id with `fields` whose ids are not the stored ones: as PocketBase, fields are matched by
// id, an unknown id is a new field (a stored field whose id is gone is dropped, with its data), and the collection's
// indexes are rebuilt on the new columns — never "index … already exists".
import assert from 'node:assert/strict';

import { CollectionJson, num, OPEN_RULES, runScenarios, ScenarioContext, text } from '@lib/testing';

/**
 * posts(title, views) with three indexes (title; unique views; title+views: dropping them one by one once skipped
 * every other one, and the rebuild then failed with "index … already exists"), and one record {title:'hello', views:3}.
 */
async function posts(t: ScenarioContext): Promise<CollectionJson> {
  const c = await t.createCollection({
    name: 'posts',
    ...OPEN_RULES,
    fields: [text('title'), num('views')],
    indexes: [
      `CREATE INDEX idx_title_${t.suffix} ON x (title)`,
      `CREATE UNIQUE INDEX idx_views_${t.suffix} ON x (views)`,
      `CREATE INDEX idx_both_${t.suffix} ON x (title, views)`,
    ],
  });
  t.vars.rec = (await t.createRecord('posts', { title: 'hello', views: 3 })).id;
  return c;
}

const url = (t: ScenarioContext): string => `/api/collections/${t.col('posts')}`;

/** The collection's fields with new ids for `names` (the rest as stored). */
const newIds = (t: ScenarioContext, names: string[]) =>
  t.collections.posts.fields.map((f) => (names.includes(f.name) ? { ...f, id: `new_${f.name}_${t.suffix}` } : f));

async function indexesWork(t: ScenarioContext): Promise<void> {
  const c = await t.su.expectOk<CollectionJson>('GET', url(t));
  assert.equal(c.indexes.length, 3, JSON.stringify(c.indexes));
  const first = await t.request('POST', t.records('posts'), { body: { title: 'a', views: 7 } });
  assert.equal(first.status, 200, first.text);
  const again = await t.request('POST', t.records('posts'), { body: { title: 'b', views: 7 } });
  assert.equal(again.status, 400, 'the unique index on views holds on the new column');
}

runScenarios('PATCH /api/collections/:idOrName with new field ids', [
  {
    name: 'every field with a new id (same names) → 200: new fields, indexes rebuilt',
    method: 'PATCH',
    url,
    body: (t) => ({ fields: newIds(t, ['title', 'views']) }),
    auth: 'superuser',
    before: (t) => posts(t).then(() => undefined),
    expectStatus: 200,
    expectBody: (t) => ({
      fields: [
        { name: 'id' },
        { name: 'title', id: `new_title_${t.suffix}` },
        { name: 'views', id: `new_views_${t.suffix}` },
      ],
    }),
    after: async (t) => {
      const rec = await t.findRecord('posts', t.vars.rec);
      assert.equal(rec?.title, '', 'a new field: the old one went with its data');
      assert.equal(rec?.views, 0);
      await indexesWork(t);
    },
  },
  {
    name: 'one field with a new id, one kept → only that one is new',
    method: 'PATCH',
    url,
    body: (t) => ({ fields: newIds(t, ['views']) }),
    auth: 'superuser',
    before: (t) => posts(t).then(() => undefined),
    expectStatus: 200,
    after: async (t) => {
      const rec = await t.findRecord('posts', t.vars.rec);
      assert.equal(rec?.title, 'hello', 'the field matched by id keeps its data');
      assert.equal(rec?.views, 0);
      await indexesWork(t);
    },
  },
  {
    name: 'a new id and a rename of another field in one update',
    method: 'PATCH',
    url,
    body: (t) => ({
      fields: newIds(t, ['views']).map((f) => (f.name === 'title' ? { ...f, name: 'headline' } : f)),
      indexes: [
        `CREATE INDEX idx_title_${t.suffix} ON x (headline)`,
        `CREATE UNIQUE INDEX idx_views_${t.suffix} ON x (views)`,
        `CREATE INDEX idx_both_${t.suffix} ON x (headline, views)`,
      ],
    }),
    auth: 'superuser',
    before: (t) => posts(t).then(() => undefined),
    expectStatus: 200,
    after: async (t) => {
      const rec = await t.findRecord('posts', t.vars.rec);
      assert.equal(rec?.headline, 'hello');
    },
  },
  {
    name: 'a field added (ids kept) → 200, the three indexes rebuilt',
    method: 'PATCH',
    url,
    body: (t) => ({ fields: [...t.collections.posts.fields, text('extra')] }),
    auth: 'superuser',
    before: (t) => posts(t).then(() => undefined),
    expectStatus: 200,
    after: indexesWork,
  },
  {
    name: 'two fields swap names (ids kept) → 200, each keeps its data under the other name',
    method: 'PATCH',
    url,
    body: (t) => ({
      fields: t.collections.posts.fields.map((f) =>
        f.name === 'title' ? { ...f, name: 'note' } : f.name === 'note' ? { ...f, name: 'title' } : f,
      ),
      indexes: [],
    }),
    auth: 'superuser',
    before: async (t) => {
      await posts(t);
      const c = await t.su.expectOk<CollectionJson>('PATCH', url(t), {
        fields: [...t.collections.posts.fields, text('note')],
      });
      t.collections.posts = c;
      await t.su.expectOk('PATCH', t.records('posts', t.vars.rec), { note: 'a note' });
    },
    expectStatus: 200,
    after: async (t) => {
      const rec = await t.findRecord('posts', t.vars.rec);
      assert.deepEqual([rec?.title, rec?.note], ['a note', 'hello']);
    },
  },
  {
    name: 'a field dropped and another renamed to its name → 200',
    method: 'PATCH',
    url,
    body: (t) => ({
      fields: t.collections.posts.fields
        .filter((f) => f.name !== 'title')
        .map((f) => (f.name === 'views' ? { ...f, name: 'title' } : f)),
      indexes: [],
    }),
    auth: 'superuser',
    before: (t) => posts(t).then(() => undefined),
    expectStatus: 200,
    after: async (t) => assert.equal((await t.findRecord('posts', t.vars.rec))?.title, 3),
  },
]);
