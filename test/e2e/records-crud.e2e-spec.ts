import assert from 'node:assert/strict';

import { any, LOCKED_RULES, matching, onlyKeys, num, OPEN_RULES, recordId, runScenarios, ScenarioContext, text } from '@lib/testing';

const DATE = matching(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\.\d{3}Z$/);

/** posts: title (required, min 2, unique), views; one record "hello". */
async function posts(t: ScenarioContext, rules: Record<string, string | null> = OPEN_RULES): Promise<void> {
  await t.createCollection({
    name: 'posts',
    ...rules,
    fields: [text('title', { required: true, min: 2 }), num('views'), { name: 'created', type: 'autodate', onCreate: true }],
    indexes: [`CREATE UNIQUE INDEX idx_title_${t.suffix} ON x (title)`],
  });
  t.vars.rec = (await t.createRecord('posts', { title: 'hello', views: 1 })).id;
}
const seeded = (t: ScenarioContext): Promise<void> => posts(t);
const locked = (t: ScenarioContext): Promise<void> => posts(t, LOCKED_RULES);
const asUser = (setup: (t: ScenarioContext) => Promise<void>) => async (t: ScenarioContext) => {
  await setup(t);
  t.auth(await t.makeUser());
};
const rec = (t: ScenarioContext) => t.records('posts', t.vars.rec);

runScenarios('GET /api/collections/:c/records/:id', [
  { name: 'missing collection → 404', method: 'GET', url: '/api/collections/missing_x/records/abc', expectStatus: 404, expectBody: { status: 404, data: {} } },
  { name: 'missing record → 404', method: 'GET', url: (t) => t.records('posts', 'missingmissing1'), before: seeded, expectStatus: 404, expectBody: { status: 404, message: any(String), data: {} } },
  { name: 'guest on a null viewRule → 403', method: 'GET', url: rec, before: locked, expectStatus: 403, expectBody: { status: 403, data: {} } },
  {
    name: 'null viewRule → 403 even for a missing id',
    method: 'GET',
    url: (t) => t.records('posts', 'missingmissing1'),
    before: asUser(locked),
    expectStatus: 403,
    expectBody: { status: 403, message: 'Only superusers can perform this action.', data: {} },
  },
  { name: 'superuser on a null viewRule → 200', method: 'GET', url: rec, auth: 'superuser', before: locked, expectStatus: 200, expectBody: { title: 'hello' } },
  {
    name: 'public view: record shape',
    method: 'GET',
    url: rec,
    before: seeded,
    expectStatus: 200,
    expectBody: (t) => ({ collectionId: t.id('posts'), collectionName: t.col('posts'), id: t.vars.rec, title: 'hello', views: 1, created: DATE }),
  },
  { name: 'view by collection id', method: 'GET', url: (t) => `/api/collections/${t.id('posts')}/records/${t.vars.rec}`, before: seeded, expectStatus: 200, expectBody: { title: 'hello' } },
  {
    name: 'viewRule not matching → 404 (same as missing)',
    method: 'GET',
    url: rec,
    before: (t) => posts(t, { ...OPEN_RULES, viewRule: 'views > 10' }),
    expectStatus: 404,
    expectBody: { status: 404, data: {} },
  },
]);

runScenarios('POST /api/collections/:c/records', [
  { name: 'missing collection → 404', method: 'POST', url: '/api/collections/missing_x/records', body: { title: 'x' }, expectStatus: 404, expectBody: { status: 404, data: {} } },
  { name: 'guest on a null createRule → 403', method: 'POST', url: (t) => t.records('posts'), body: { title: 'new' }, before: locked, expectStatus: 403, expectBody: { status: 403, data: {} } },
  { name: 'user on a null createRule → 403', method: 'POST', url: (t) => t.records('posts'), body: { title: 'new' }, before: asUser(locked), expectStatus: 403 },
  {
    name: 'nil body → required field error',
    method: 'POST',
    url: (t) => t.records('posts'),
    before: seeded,
    expectStatus: 400,
    expectBody: { status: 400, message: 'Failed to create record.', data: { title: { code: 'validation_required', message: any(String) } } },
  },
  {
    name: 'guest create in a public collection → 200 (not 201)',
    method: 'POST',
    url: (t) => t.records('posts'),
    body: { title: 'brand new', views: 5 },
    before: seeded,
    expectStatus: 200,
    expectBody: (t) => ({ id: matching(/^[a-z0-9]{15}$/), collectionName: t.col('posts'), title: 'brand new', views: 5, created: DATE }),
    after: async (t) => assert.equal(await t.countRecords('posts'), 2),
  },
  {
    name: 'superuser bypasses a null createRule',
    method: 'POST',
    url: (t) => t.records('posts'),
    body: { title: 'by su' },
    auth: 'superuser',
    before: locked,
    expectStatus: 200,
    expectBody: { title: 'by su' },
  },
  {
    name: 'unknown keys are ignored',
    method: 'POST',
    url: (t) => t.records('posts'),
    body: { title: 'extra', bogus: 'x', collectionName: 'other' },
    before: seeded,
    expectStatus: 200,
    expectBody: (t) => ({ title: 'extra', collectionName: t.col('posts') }),
    expectNotContains: ['"bogus"'],
  },
  {
    name: 'custom id of exactly 15 chars',
    method: 'POST',
    url: (t) => t.records('posts'),
    body: (t) => ({ id: (t.vars.id = recordId()), title: 'custom' }),
    before: seeded,
    expectStatus: 200,
    expectBody: (t) => ({ id: t.vars.id }),
  },
  { name: 'custom id too short', method: 'POST', url: (t) => t.records('posts'), body: { id: '12345678901234', title: 'x1' }, before: seeded, expectStatus: 400, expectBody: { data: { id: { code: 'validation_min_text_constraint' } } } },
  { name: 'custom id too long', method: 'POST', url: (t) => t.records('posts'), body: { id: '1234567890123456', title: 'x2' }, before: seeded, expectStatus: 400, expectBody: { data: { id: { code: 'validation_max_text_constraint' } } } },
  { name: 'custom id with invalid chars', method: 'POST', url: (t) => t.records('posts'), body: { id: 'ABCDEFGHIJ-LMNO', title: 'x3' }, before: seeded, expectStatus: 400, expectBody: { data: { id: { code: 'validation_invalid_format' } } } },
  {
    name: 'duplicate id → validation_not_unique',
    method: 'POST',
    url: (t) => t.records('posts'),
    body: (t) => ({ id: t.vars.rec, title: 'dup id' }),
    before: seeded,
    expectStatus: 400,
    expectBody: { status: 400, data: { id: { code: 'validation_not_unique' } } },
    after: async (t) => assert.equal(await t.countRecords('posts'), 1),
  },
  {
    name: 'unique index violation → validation_not_unique on the field',
    method: 'POST',
    url: (t) => t.records('posts'),
    body: { title: 'hello' },
    before: seeded,
    expectStatus: 400,
    expectBody: { status: 400, data: { title: { code: 'validation_not_unique' } } },
  },
  {
    name: 'autodate values from the client are ignored',
    method: 'POST',
    url: (t) => t.records('posts'),
    body: { title: 'dated', created: '2001-01-01 00:00:00.000Z' },
    before: seeded,
    expectStatus: 200,
    expectBody: { created: DATE },
    expectNotContains: ['2001-01-01'],
  },
  {
    name: 'fields applies to the create response',
    method: 'POST',
    url: (t) => t.records('posts', undefined, '?fields=title'),
    body: { title: 'picked' },
    before: seeded,
    expectStatus: 200,
    expectBody: onlyKeys(['title']),
  },
]);

runScenarios('PATCH /api/collections/:c/records/:id', [
  { name: 'missing record → 404', method: 'PATCH', url: (t) => t.records('posts', 'missingmissing1'), body: { title: 'zz' }, before: seeded, expectStatus: 404, expectBody: { status: 404, data: {} } },
  { name: 'null updateRule, missing id → 403', method: 'PATCH', url: (t) => t.records('posts', 'missingmissing1'), body: { title: 'zz' }, before: asUser(locked), expectStatus: 403 },
  {
    name: 'guest update in a public collection',
    method: 'PATCH',
    url: rec,
    body: { title: 'changed' },
    before: seeded,
    expectStatus: 200,
    expectBody: (t) => ({ id: t.vars.rec, title: 'changed', views: 1 }),
    after: async (t) => assert.equal((await t.findRecord('posts', t.vars.rec))?.title, 'changed'),
  },
  { name: 'empty body → 200, nothing changes', method: 'PATCH', url: rec, body: {}, before: seeded, expectStatus: 200, expectBody: { title: 'hello', views: 1 } },
  {
    name: 'field validation on update',
    method: 'PATCH',
    url: rec,
    body: { title: 'a' },
    before: seeded,
    expectStatus: 400,
    expectBody: { status: 400, message: 'Failed to update record.', data: { title: { code: 'validation_min_text_constraint' } } },
    after: async (t) => assert.equal((await t.findRecord('posts', t.vars.rec))?.title, 'hello'),
  },
  {
    name: 'changing the id → validation_pk_change',
    method: 'PATCH',
    url: rec,
    body: { id: recordId() },
    before: seeded,
    expectStatus: 400,
    expectBody: { data: { id: { code: 'validation_pk_change' } } },
  },
  {
    name: 'unique violation on update',
    method: 'PATCH',
    url: rec,
    body: { title: 'other' },
    before: async (t) => {
      await posts(t);
      await t.createRecord('posts', { title: 'other' });
    },
    expectStatus: 400,
    expectBody: { data: { title: { code: 'validation_not_unique' } } },
  },
  {
    name: 'updateRule not matching → 404 and unchanged',
    method: 'PATCH',
    url: rec,
    body: { title: 'nope' },
    before: (t) => posts(t, { ...OPEN_RULES, updateRule: 'views > 10' }),
    expectStatus: 404,
    after: async (t) => assert.equal((await t.findRecord('posts', t.vars.rec))?.title, 'hello'),
  },
]);
