import assert from 'node:assert/strict';

import { OPEN_RULES, OWNER_RULES, relation, runScenarios, Scenario, ScenarioContext, text } from '@lib/testing';

/** `secrets` (owner rules, one record owned by someone else) and an open `posts` with two rows. */
async function targets(t: ScenarioContext): Promise<void> {
  const owner = await t.makeUser();
  await t.createCollection({
    name: 'secrets',
    ...OWNER_RULES,
    fields: [text('title'), relation('owner', '_pb_users_auth_', { maxSelect: 1 })],
  });
  t.vars.secret = (await t.createRecord('secrets', { title: 'classified', owner: owner.record.id })).id;
  await t.createCollection({ name: 'posts', ...OPEN_RULES, fields: [text('title')] });
  await t.createRecord('posts', { title: 'one' });
  await t.createRecord('posts', { title: 'two' });
}

/** Both collections must still be intact after a hostile request. */
async function intact(t: ScenarioContext): Promise<void> {
  assert.equal(await t.countRecords('posts'), 2);
  assert.equal(await t.countRecords('secrets'), 1);
  assert.equal((await t.su.get('/api/collections/users')).status, 200);
}

/** A guest filter on `secrets` that must answer 4xx or an empty 200, never the row. */
function hostileFilter(name: string, filter: string): Scenario {
  return {
    name: `filter injection: ${name}`,
    method: 'GET',
    url: (t) => t.records('secrets', undefined, `?filter=${encodeURIComponent(filter)}`),
    before: targets,
    expectStatus: 400,
    expectNotContains: ['classified'],
    after: intact,
  };
}

runScenarios('malformed and unsupported bodies', [
  {
    name: 'malformed JSON on create → 400',
    method: 'POST',
    url: (t) => t.records('posts'),
    body: '{"title": ',
    before: targets,
    expectStatus: 400,
    expectBody: { status: 400, data: {} },
    after: intact,
  },
  {
    name: 'malformed JSON on update → 400',
    method: 'PATCH',
    url: (t) => t.records('posts', 'abc'),
    body: '{"',
    before: targets,
    expectStatus: 400,
    expectBody: { status: 400, data: {} },
  },
  {
    name: 'malformed JSON on collection create → 400',
    method: 'POST',
    url: '/api/collections',
    body: '{name:',
    auth: 'superuser',
    expectStatus: 400,
    expectBody: { status: 400, data: {} },
  },
  {
    name: 'malformed JSON on auth-with-password → 400',
    method: 'POST',
    url: '/api/collections/users/auth-with-password',
    body: '{"identity":',
    expectStatus: 400,
    expectBody: { status: 400, data: {} },
  },
  {
    name: 'a JSON array body → 400',
    method: 'POST',
    url: (t) => t.records('posts'),
    body: '[1,2]',
    before: targets,
    expectStatus: 400,
    after: intact,
  },
  {
    name: 'text/plain content type → 400',
    method: 'POST',
    url: (t) => t.records('posts'),
    body: '{"title":"x"}',
    headers: { 'content-type': 'text/plain' },
    before: targets,
    expectStatus: 400,
    expectBody: { status: 400, data: {} },
    after: intact,
  },
  {
    name: 'application/xml content type → 400',
    method: 'POST',
    url: (t) => t.records('posts'),
    body: '<title>x</title>',
    headers: { 'content-type': 'application/xml' },
    before: targets,
    expectStatus: 400,
    after: intact,
  },
  {
    name: 'urlencoded form body is accepted',
    method: 'POST',
    url: (t) => t.records('posts'),
    body: new URLSearchParams({ title: 'formed' }),
    before: targets,
    expectStatus: 200,
    expectBody: { title: 'formed' },
  },
  {
    name: 'body over 32 MiB → 413',
    method: 'POST',
    url: (t) => t.records('posts'),
    body: () => JSON.stringify({ title: 'x'.repeat(33 * 1024 * 1024) }),
    before: targets,
    expectStatus: 413,
    expectBody: { status: 413, data: {} },
    after: intact,
  },
]);

const DEEP = 5000;
const deepArray = (levels: number): string => '['.repeat(levels) + '1' + ']'.repeat(levels);
/** A multipart body that ends in the middle of a file part (no closing boundary). */
const TRUNCATED =
  '--XX\r\nContent-Disposition: form-data; name="title"\r\n\r\nx\r\n' +
  '--XX\r\nContent-Disposition: form-data; name="doc"; filename="a.txt"\r\nContent-Type: text/plain\r\n\r\nhel';

/** `posts` (see targets) and `jsons`, an open collection with a json field. */
async function withJsons(t: ScenarioContext): Promise<void> {
  await targets(t);
  await t.createCollection({ name: 'jsons', ...OPEN_RULES, fields: [text('title'), { name: 'j', type: 'json' }] });
}

runScenarios('bodies that nest too deep, broken multipart, prototype keys', [
  {
    name: `JSON body nested ${DEEP} levels → 400, not a stack overflow`,
    method: 'POST',
    url: (t) => t.records('jsons'),
    body: `{"j":${deepArray(DEEP)}}`,
    before: withJsons,
    expectStatus: 400,
    expectBody: { status: 400, message: 'Failed to read the JSON body: nested deeper than 256 levels.', data: {} },
    after: async (t) => {
      await intact(t);
      assert.equal(await t.countRecords('jsons'), 0);
    },
  },
  {
    name: 'a json field 256 levels deep is stored',
    method: 'POST',
    url: (t) => t.records('jsons'),
    body: `{"j":${deepArray(255)}}`,
    before: withJsons,
    expectStatus: 200,
  },
  {
    name: `a multipart json field nested ${DEEP} levels → 400 at the field`,
    method: 'POST',
    url: (t) => t.records('jsons'),
    body: () => {
      const form = new FormData();
      form.append('j', deepArray(DEEP));
      return form;
    },
    before: withJsons,
    expectStatus: 400,
    expectBody: { data: { j: { code: 'validation_json_too_deep' } } },
    after: intact,
  },
  {
    name: 'multipart without a boundary → 400',
    method: 'POST',
    url: (t) => t.records('posts'),
    body: 'title=x',
    headers: { 'content-type': 'multipart/form-data' },
    before: targets,
    expectStatus: 400,
    expectBody: { status: 400, data: {} },
    after: intact,
  },
  {
    name: 'multipart that ends mid-part → 400, nothing stored',
    method: 'POST',
    url: (t) => t.records('posts'),
    body: TRUNCATED,
    headers: { 'content-type': 'multipart/form-data; boundary=XX' },
    before: targets,
    expectStatus: 400,
    expectBody: { status: 400, message: 'Failed to read the multipart body: Unexpected end of multipart data.' },
    after: intact,
  },
  {
    name: '@jsonPayload with a __proto__ key: plain data, never the prototype of the input',
    method: 'POST',
    url: (t) => t.records('posts'),
    body: () => {
      const form = new FormData();
      form.append('@jsonPayload', '{"__proto__":{"title":"from the prototype"},"constructor":1}');
      return form;
    },
    before: targets,
    expectStatus: 200,
    expectBody: { title: '' },
    expectNotContains: ['from the prototype'],
  },
  {
    name: 'a multipart field named __proto__ → 400',
    method: 'POST',
    url: (t) => t.records('posts'),
    body: () => {
      const form = new FormData();
      form.append('__proto__', 'x');
      form.append('title', 'y');
      return form;
    },
    before: targets,
    expectStatus: 400,
    after: intact,
  },
  {
    name: 'a form field named __proto__ is plain data, not the prototype',
    method: 'POST',
    url: (t) => t.records('posts'),
    body: new URLSearchParams([
      ['__proto__', 'x'],
      ['title', 'kept'],
    ]),
    before: targets,
    expectStatus: 200,
    expectBody: { title: 'kept' },
  },
]);

runScenarios('unknown routes and collections', [
  {
    name: 'unknown collection: list → 404',
    method: 'GET',
    url: '/api/collections/nope_nope/records',
    expectStatus: 404,
    expectBody: { status: 404, message: 'Missing collection context.', data: {} },
  },
  {
    name: 'unknown collection: view → 404',
    method: 'GET',
    url: '/api/collections/nope_nope/records/abcdefghijklmno',
    expectStatus: 404,
    expectBody: { status: 404, data: {} },
  },
  {
    name: 'unknown collection: create → 404',
    method: 'POST',
    url: '/api/collections/nope_nope/records',
    body: { a: 1 },
    expectStatus: 404,
  },
  {
    name: 'unknown collection: update → 404',
    method: 'PATCH',
    url: '/api/collections/nope_nope/records/abcdefghijklmno',
    body: { a: 1 },
    expectStatus: 404,
  },
  {
    name: 'unknown collection: delete → 404',
    method: 'DELETE',
    url: '/api/collections/nope_nope/records/abcdefghijklmno',
    expectStatus: 404,
  },
  {
    name: 'auth route on an unknown collection → 404',
    method: 'POST',
    url: '/api/collections/nope_nope/auth-with-password',
    body: { identity: 'a@b.c', password: 'x' },
    expectStatus: 404,
    expectBody: { status: 404, data: {} },
  },
  {
    name: 'auth route on a base collection → 404',
    method: 'POST',
    url: (t) => `/api/collections/${t.col('posts')}/auth-with-password`,
    body: { identity: 'a@b.c', password: 'x' },
    before: targets,
    expectStatus: 404,
  },
  {
    name: 'wrong password → 400 (never 401)',
    method: 'POST',
    url: '/api/collections/users/auth-with-password',
    body: { identity: 'nobody@example.com', password: 'wrong-password' },
    expectStatus: 400,
    expectBody: { status: 400, message: 'Failed to authenticate.', data: {} },
  },
]);

runScenarios('SQL-injection-looking input', [
  hostileFilter('quote break-out with OR', `title = '' OR 1=1 --`),
  hostileFilter('closing parenthesis', `title = "x") || (1 = 1`),
  hostileFilter('stacked statement', `title = "x"; DROP TABLE users; --`),
  hostileFilter('subselect', `title = (SELECT title FROM secrets)`),
  hostileFilter('UNION', `title = "x" UNION SELECT * FROM _superusers`),
  {
    name: 'quotes inside a filter string are data, not SQL',
    method: 'GET',
    url: (t) => t.records('secrets', undefined, `?filter=${encodeURIComponent(`title = "' OR '1'='1"`)}`),
    before: targets,
    expectStatus: 200,
    expectBody: { totalItems: 0, items: [] },
    after: intact,
  },
  {
    name: 'superuser filter with quotes finds nothing',
    method: 'GET',
    url: (t) => t.records('posts', undefined, `?filter=${encodeURIComponent(`title = "one' OR 'a'='a"`)}`),
    auth: 'superuser',
    before: targets,
    expectStatus: 200,
    expectBody: { totalItems: 0 },
    after: intact,
  },
  {
    name: 'record id with SQL → 404',
    method: 'GET',
    url: (t) => t.records('posts', encodeURIComponent(`' OR '1'='1`)),
    before: targets,
    expectStatus: 404,
    after: intact,
  },
  {
    name: 'delete with an SQL-looking id → 404, nothing deleted',
    method: 'DELETE',
    url: (t) => t.records('posts', encodeURIComponent('1 OR 1=1; DROP TABLE users')),
    before: targets,
    expectStatus: 404,
    after: intact,
  },
  {
    name: 'collection name with SQL → 404',
    method: 'GET',
    url: `/api/collections/${encodeURIComponent(`users'; DROP TABLE users;--`)}/records`,
    expectStatus: 404,
    after: async (t) => assert.equal((await t.su.get('/api/collections/users')).status, 200),
  },
  {
    name: 'sort with SQL → 400',
    method: 'GET',
    url: (t) => t.records('posts', undefined, `?sort=${encodeURIComponent('title; DROP TABLE users')}`),
    before: targets,
    expectStatus: 400,
    after: intact,
  },
  {
    name: 'sort with a subquery → 400',
    method: 'GET',
    url: (t) => t.records('posts', undefined, `?sort=${encodeURIComponent('(SELECT 1)')}`),
    before: targets,
    expectStatus: 400,
  },
  {
    name: 'expand with SQL → 400 (invalid path), no rows leaked',
    method: 'GET',
    url: (t) => t.records('secrets', undefined, `?expand=${encodeURIComponent("owner'); DROP TABLE users;--")}`),
    before: targets,
    expectStatus: 400,
    expectBody: { status: 400, data: {} },
    expectNotContains: ['classified'],
    after: intact,
  },
  {
    name: 'collection create with an SQL name → 400',
    method: 'POST',
    url: '/api/collections',
    body: { name: 'x"; DROP TABLE users; --', fields: [text('a')] },
    auth: 'superuser',
    expectStatus: 400,
    expectBody: { data: { name: { code: 'validation_match_invalid' } } },
    after: async (t) => assert.equal((await t.su.get('/api/collections/users')).status, 200),
  },
  {
    name: 'collection create with an SQL field name → 400',
    method: 'POST',
    url: '/api/collections',
    body: { name: 'sqlfield_x', fields: [text('a TEXT); DROP TABLE users; --')] },
    auth: 'superuser',
    expectStatus: 400,
    expectBody: { data: { fields: { '1': { name: { code: 'validation_match_invalid' } } } } },
  },
  {
    name: 'values with SQL and unicode round-trip verbatim',
    method: 'POST',
    url: (t) => t.records('posts'),
    body: { title: `Robert'); DROP TABLE students;-- 🎉 ñ` },
    before: targets,
    expectStatus: 200,
    expectBody: { title: `Robert'); DROP TABLE students;-- 🎉 ñ` },
    after: async (t) => assert.equal(await t.countRecords('posts'), 3),
  },
]);
