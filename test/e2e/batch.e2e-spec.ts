import assert from 'node:assert/strict';

import {
  absent,
  any,
  arrayOfLength,
  LOCKED_RULES,
  OPEN_RULES,
  recordId,
  runScenarios,
  ScenarioContext,
  text,
} from '@lib/testing';

/** Batch on (settings are global: every scenario sets what it needs) + `todos` (title required). */
async function todos(t: ScenarioContext, rules: Record<string, string | null> = OPEN_RULES): Promise<void> {
  await t.setBatch(true, 50);
  await t.createCollection({ name: 'todos', ...rules, fields: [text('title', { required: true })] });
  t.vars.existing = (await t.createRecord('todos', { title: 'existing' })).id;
}
const seeded = (t: ScenarioContext): Promise<void> => todos(t);
const create = (t: ScenarioContext, body: Record<string, unknown>, query = '') => ({
  method: 'POST',
  url: `${t.records('todos')}${query}`,
  body,
});
const titles = async (t: ScenarioContext): Promise<string[]> =>
  (await t.listRecords('todos', '?sort=title&perPage=100')).items.map((r) => String(r.title));

runScenarios('POST /api/batch', [
  {
    name: 'disabled → 403',
    method: 'POST',
    url: '/api/batch',
    body: (t) => ({ requests: [create(t, { title: 'x' })] }),
    before: async (t) => {
      await todos(t);
      await t.setBatch(false, 50);
    },
    expectStatus: 403,
    expectEvents: { '*': 0 },
    expectBody: { status: 403, message: 'Batch requests are not allowed.', data: {} },
    after: async (t) => {
      assert.deepEqual(await titles(t), ['existing']);
      await t.setBatch(true, 50);
    },
  },
  {
    name: 'more than maxRequests → 400',
    method: 'POST',
    url: '/api/batch',
    body: (t) => ({ requests: [1, 2, 3].map((i) => create(t, { title: `m${i}` })) }),
    before: async (t) => {
      await todos(t);
      await t.setBatch(true, 2);
    },
    expectStatus: 400,
    expectEvents: { '*': 0 },
    expectBody: { status: 400, data: { requests: { code: 'validation_length_too_long' } } },
    after: async (t) => {
      await t.setBatch(true, 50);
      assert.deepEqual(await titles(t), ['existing']);
    },
  },
  {
    name: 'empty requests → 400',
    method: 'POST',
    url: '/api/batch',
    body: { requests: [] },
    before: seeded,
    expectStatus: 400,
    expectEvents: { '*': 0 },
    expectBody: { status: 400, data: { requests: { code: 'validation_required' } } },
  },
  {
    name: 'item validation: method required / in list, url length',
    method: 'POST',
    url: '/api/batch',
    body: {
      requests: [
        {},
        { method: 'GET', url: '/valid' },
        { method: 'invalid', url: '/valid' },
        { method: 'POST', url: 'a'.repeat(2001) },
      ],
    },
    before: seeded,
    expectStatus: 400,
    expectEvents: { '*': 0 },
    expectBody: {
      data: {
        requests: {
          '0': { method: { code: 'validation_required' } },
          '1': undefined,
          '2': { method: { code: 'validation_in_invalid' } },
          '3': { url: { code: 'validation_length_too_long' } },
        },
      },
    },
    expectNotContains: ['"1":{'],
  },
  {
    name: 'unsupported sub-request (GET /api/health) → batch_request_failed',
    method: 'POST',
    url: '/api/batch',
    body: { requests: [{ method: 'GET', url: '/api/health' }] },
    before: seeded,
    expectStatus: 400,
    expectEvents: { '*': 0 },
    expectBody: {
      status: 400,
      data: { requests: { '0': { code: 'batch_request_failed', message: any(String), response: any(Object) } } },
    },
  },
  {
    name: '2 ok + 1 invalid → 400, everything rolled back',
    method: 'POST',
    url: '/api/batch',
    body: (t) => ({ requests: [create(t, { title: 'b1' }), create(t, { title: 'b2' }), create(t, {})] }),
    before: seeded,
    expectStatus: 400,
    expectEvents: { '*': 0 },
    expectBody: {
      status: 400,
      message: 'Batch transaction failed.',
      data: {
        requests: {
          '0': undefined,
          '2': {
            code: 'batch_request_failed',
            message: 'Batch request failed.',
            response: { status: 400, data: { title: { code: 'validation_required' } } },
          },
        },
      },
    },
    expectNotContains: ['"0":{', '"1":{'],
    after: async (t) => assert.deepEqual(await titles(t), ['existing']),
  },
  {
    name: '4 creates → 200 array in request order',
    method: 'POST',
    url: '/api/batch',
    body: (t) => ({ requests: ['c1', 'c2', 'c3', 'c4'].map((title) => create(t, { title })) }),
    before: seeded,
    expectStatus: 200,
    expectEvents: { 'record.created': 4, '*': 0 },
    expectBody: [
      { status: 200, body: { title: 'c1', id: any(String) } },
      { status: 200, body: { title: 'c2' } },
      { status: 200, body: { title: 'c3' } },
      { status: 200, body: { title: 'c4' } },
    ],
    after: async (t) => assert.deepEqual(await titles(t), ['c1', 'c2', 'c3', 'c4', 'existing']),
  },
  {
    name: 'mixed create / update / delete',
    method: 'POST',
    url: '/api/batch',
    body: (t) => ({
      requests: [
        create(t, { title: 'made' }),
        { method: 'PATCH', url: t.records('todos', t.vars.existing), body: { title: 'changed' } },
        { method: 'DELETE', url: t.records('todos', t.vars.doomed) },
      ],
    }),
    before: async (t) => {
      await todos(t);
      t.vars.doomed = (await t.createRecord('todos', { title: 'doomed' })).id;
    },
    expectStatus: 200,
    expectEvents: { 'record.created': 1, 'record.updated': 1, 'record.deleted': 1, '*': 0 },
    expectBody: [
      { status: 200, body: { title: 'made' } },
      { status: 200, body: { title: 'changed' } },
      { status: 204, body: null },
    ],
    after: async (t) => assert.deepEqual(await titles(t), ['changed', 'made']),
  },
  {
    name: 'upsert (PUT): update when the id exists, create otherwise',
    method: 'POST',
    url: '/api/batch',
    body: (t) => ({
      requests: [
        { method: 'PUT', url: t.records('todos'), body: { id: t.vars.existing, title: 'upserted' } },
        { method: 'PUT', url: t.records('todos'), body: { id: (t.vars.fresh = recordId()), title: 'inserted' } },
      ],
    }),
    before: seeded,
    expectStatus: 200,
    expectEvents: { 'record.created': 1, 'record.updated': 1, '*': 0 },
    expectBody: (t) => [
      { status: 200, body: { id: t.vars.existing, title: 'upserted' } },
      { status: 200, body: { id: t.vars.fresh, title: 'inserted' } },
    ],
    after: async (t) => assert.deepEqual(await titles(t), ['inserted', 'upserted']),
  },
  {
    name: 'a failing delete (missing id) rolls back the earlier create',
    method: 'POST',
    url: '/api/batch',
    body: (t) => ({
      requests: [create(t, { title: 'ghost' }), { method: 'DELETE', url: t.records('todos', 'missingmissing1') }],
    }),
    before: seeded,
    expectStatus: 400,
    expectEvents: { '*': 0 },
    expectBody: { data: { requests: { '1': { code: 'batch_request_failed', response: { status: 404 } } } } },
    after: async (t) => assert.deepEqual(await titles(t), ['existing']),
  },
  {
    name: 'rules apply to sub-requests (guest on a null createRule)',
    method: 'POST',
    url: '/api/batch',
    body: (t) => ({ requests: [create(t, { title: 'nope' })] }),
    before: (t) => todos(t, LOCKED_RULES),
    expectStatus: 400,
    expectEvents: { '*': 0 },
    expectBody: { data: { requests: { '0': { code: 'batch_request_failed', response: { status: 403 } } } } },
    after: async (t) => assert.deepEqual(await titles(t), ['existing']),
  },
  {
    name: 'a per-request Authorization header is ignored',
    method: 'POST',
    url: '/api/batch',
    body: (t) => ({ requests: [{ ...create(t, { title: 'sneaky' }), headers: { Authorization: t.su.token } }] }),
    before: (t) => todos(t, LOCKED_RULES),
    expectStatus: 400,
    expectEvents: { '*': 0 },
    after: async (t) => assert.deepEqual(await titles(t), ['existing']),
  },
  {
    name: 'superuser outer auth bypasses the rules',
    method: 'POST',
    url: '/api/batch',
    body: (t) => ({ requests: [create(t, { title: 'admin' })] }),
    auth: 'superuser',
    before: (t) => todos(t, LOCKED_RULES),
    expectStatus: 200,
    expectEvents: { 'record.created': 1, '*': 0 },
    expectBody: [{ status: 200, body: { title: 'admin' } }],
  },
  {
    name: 'query params of a sub-request url apply (fields)',
    method: 'POST',
    url: '/api/batch',
    body: (t) => ({ requests: [create(t, { title: 'q' }, '?fields=title')] }),
    before: seeded,
    expectStatus: 200,
    expectEvents: { 'record.created': 1, '*': 0 },
    expectBody: [{ status: 200, body: { title: 'q', id: absent() } }],
    expectNotContains: ['"collectionId"'],
  },
  {
    name: 'multipart with @jsonPayload',
    method: 'POST',
    url: '/api/batch',
    body: (t) => {
      const form = new FormData();
      form.append(
        '@jsonPayload',
        JSON.stringify({ requests: [create(t, { title: 'mp1' }), create(t, { title: 'mp2' })] }),
      );
      return form;
    },
    before: seeded,
    expectStatus: 200,
    expectEvents: { 'record.created': 2, '*': 0 },
    expectBody: arrayOfLength(2),
    after: async (t) => assert.deepEqual(await titles(t), ['existing', 'mp1', 'mp2']),
  },
  {
    name: 'malformed JSON → 400, nothing written',
    method: 'POST',
    url: '/api/batch',
    body: '{"requests": [',
    before: seeded,
    expectStatus: 400,
    expectEvents: { '*': 0 },
    expectBody: { status: 400, data: {} },
  },
]);
