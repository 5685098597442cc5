import assert from 'node:assert/strict';

import { LOCKED_RULES, OPEN_RULES, relation, runScenarios, ScenarioContext, text } from '@lib/testing';

/** parents(p1, p2) ← children(child → p1 via `parent`, with the given relation options). */
async function family(
  t: ScenarioContext,
  relOptions: Record<string, unknown>,
  parentRules: Record<string, string | null> = OPEN_RULES,
): Promise<void> {
  const parents = await t.createCollection({ name: 'parents', ...parentRules, fields: [text('title')] });
  await t.createCollection({
    name: 'children',
    ...OPEN_RULES,
    fields: [text('title'), relation('parent', parents.id, relOptions)],
  });
  t.vars.p1 = (await t.createRecord('parents', { title: 'p1' })).id;
  t.vars.p2 = (await t.createRecord('parents', { title: 'p2' })).id;
  const multi = Number(relOptions.maxSelect ?? 1) > 1;
  t.vars.child = (
    await t.createRecord('children', { title: 'c', parent: multi ? [t.vars.p1, t.vars.p2] : t.vars.p1 })
  ).id;
}
const p1 = (t: ScenarioContext) => t.records('parents', t.vars.p1);

runScenarios('DELETE /api/collections/:c/records/:id', [
  {
    name: 'missing collection → 404',
    method: 'DELETE',
    url: '/api/collections/missing_x/records/abc',
    expectStatus: 404,
    expectBody: { status: 404, data: {} },
  },
  {
    name: 'missing record → 404',
    method: 'DELETE',
    url: (t) => t.records('parents', 'missingmissing1'),
    before: (t) => family(t, {}),
    expectStatus: 404,
    expectEvents: { '*': 0 },
    expectBody: { status: 404, data: {} },
  },
  {
    name: 'guest on a null deleteRule → 403, record kept',
    method: 'DELETE',
    url: p1,
    before: (t) => family(t, {}, LOCKED_RULES),
    expectStatus: 403,
    expectEvents: { '*': 0 },
    expectBody: { status: 403, data: {} },
    after: async (t) => assert.ok(await t.findRecord('parents', t.vars.p1)),
  },
  {
    name: 'user on a null deleteRule with a missing id → 403',
    method: 'DELETE',
    url: (t) => t.records('parents', 'missingmissing1'),
    before: async (t) => {
      await family(t, {}, LOCKED_RULES);
      t.auth(await t.makeUser());
    },
    expectStatus: 403,
    expectEvents: { '*': 0 },
  },
  {
    name: 'deleteRule not matching → 404, record kept',
    method: 'DELETE',
    url: p1,
    before: (t) => family(t, {}, { ...OPEN_RULES, deleteRule: 'title = "p2"' }),
    expectStatus: 404,
    expectEvents: { '*': 0 },
    after: async (t) => assert.ok(await t.findRecord('parents', t.vars.p1)),
  },
  {
    name: 'public delete → 204 empty body, then 404',
    method: 'DELETE',
    url: (t) => t.records('parents', t.vars.p2),
    before: (t) => family(t, {}),
    expectStatus: 204,
    expectEvents: { 'record.deleted': 1, '*': 0 },
    after: async (t, res) => {
      assert.equal(res.text, '');
      assert.equal(await t.findRecord('parents', t.vars.p2), undefined);
      assert.equal(await t.countRecords('parents'), 1);
    },
  },
  {
    name: 'delete by collection id',
    method: 'DELETE',
    url: (t) => `/api/collections/${t.id('parents')}/records/${t.vars.p2}`,
    before: (t) => family(t, {}),
    expectStatus: 204,
    expectEvents: { 'record.deleted': 1, '*': 0 },
  },
  {
    name: 'cascadeDelete removes the referencing record',
    method: 'DELETE',
    url: p1,
    before: (t) => family(t, { maxSelect: 1, cascadeDelete: true }),
    expectStatus: 204,
    expectEvents: { 'record.deleted': 2, '*': 0 },
    after: async (t) => assert.equal(await t.findRecord('children', t.vars.child), undefined),
  },
  {
    name: 'required relation without cascade → 400, nothing deleted',
    method: 'DELETE',
    url: p1,
    before: (t) => family(t, { maxSelect: 1, required: true }),
    expectStatus: 400,
    expectEvents: { '*': 0 },
    expectBody: {
      status: 400,
      message: 'Failed to delete record. Make sure that the record is not part of a required relation reference.',
      data: {},
    },
    after: async (t) => {
      assert.ok(await t.findRecord('parents', t.vars.p1));
      assert.equal((await t.findRecord('children', t.vars.child))?.parent, t.vars.p1);
    },
  },
  {
    name: 'optional single relation without cascade → reference cleared',
    method: 'DELETE',
    url: p1,
    before: (t) => family(t, { maxSelect: 1 }),
    expectStatus: 204,
    expectEvents: { 'record.deleted': 1, 'record.updated': 1, '*': 0 },
    after: async (t) => assert.equal((await t.findRecord('children', t.vars.child))?.parent, ''),
  },
  {
    name: 'multi relation → only the deleted id is removed',
    method: 'DELETE',
    url: p1,
    before: (t) => family(t, { maxSelect: 5, required: true }),
    expectStatus: 204,
    expectEvents: { 'record.deleted': 1, 'record.updated': 1, '*': 0 },
    after: async (t) => assert.deepEqual((await t.findRecord('children', t.vars.child))?.parent, [t.vars.p2]),
  },
  {
    name: 'view collection record → 400',
    method: 'DELETE',
    url: (t) => t.records('v', t.vars.p1),
    before: async (t) => {
      await family(t, {});
      await t.createCollection({
        name: 'v',
        type: 'view',
        listRule: '',
        viewRule: '',
        viewQuery: `SELECT id, title FROM ${t.col('parents')}`,
      });
    },
    expectStatus: 400,
    expectBody: { status: 400, data: {} },
    after: async (t) => assert.ok(await t.findRecord('parents', t.vars.p1)),
  },
]);

runScenarios('view collection records', [
  {
    name: 'list a view collection',
    method: 'GET',
    url: (t) => t.records('v', undefined, '?sort=title'),
    before: async (t) => {
      await family(t, {});
      await t.createCollection({
        name: 'v',
        type: 'view',
        listRule: '',
        viewRule: '',
        viewQuery: `SELECT id, title FROM ${t.col('parents')}`,
      });
    },
    expectStatus: 200,
    expectBody: (t) => ({ totalItems: 2, items: [{ collectionName: t.col('v'), title: 'p1' }, { title: 'p2' }] }),
  },
  {
    name: 'create in a view collection → 400',
    method: 'POST',
    url: (t) => t.records('v'),
    body: { title: 'nope' },
    before: async (t) => {
      await family(t, {});
      await t.createCollection({
        name: 'v',
        type: 'view',
        listRule: '',
        viewRule: '',
        viewQuery: `SELECT id, title FROM ${t.col('parents')}`,
      });
    },
    expectStatus: 400,
    expectBody: { status: 400, data: {} },
  },
  {
    name: 'update in a view collection → 400',
    method: 'PATCH',
    url: (t) => t.records('v', t.vars.p1),
    body: { title: 'nope' },
    before: async (t) => {
      await family(t, {});
      await t.createCollection({
        name: 'v',
        type: 'view',
        listRule: '',
        viewRule: '',
        viewQuery: `SELECT id, title FROM ${t.col('parents')}`,
      });
    },
    expectStatus: 400,
    after: async (t) => assert.equal((await t.findRecord('parents', t.vars.p1))?.title, 'p1'),
  },
]);
