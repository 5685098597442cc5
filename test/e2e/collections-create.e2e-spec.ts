import assert from 'node:assert/strict';

import { absent, any, arrayOfLength, CollectionJson, matching, runScenarios, text, uniqueSuffix } from '@lib/testing';

const FAILED = 'Failed to create collection.';
const code = (c: string) => ({ code: c, message: any(String) });

runScenarios('POST /api/collections (validation)', [
  {
    name: 'guest → 401',
    method: 'POST',
    url: '/api/collections',
    body: { name: 'x_guest' },
    expectStatus: 401,
    expectBody: { status: 401, data: {} },
  },
  {
    name: 'regular user → 403',
    method: 'POST',
    url: '/api/collections',
    body: { name: 'x_user' },
    before: async (t) => t.auth(await t.makeUser()),
    expectStatus: 403,
    expectBody: { status: 403, data: {} },
  },
  {
    name: 'empty body → name required, no fields error',
    method: 'POST',
    url: '/api/collections',
    auth: 'superuser',
    expectStatus: 400,
    expectBody: { status: 400, message: FAILED, data: { name: code('validation_required'), fields: absent() } },
  },
  {
    name: 'existing name and a blank field name → both reported',
    method: 'POST',
    url: '/api/collections',
    body: { name: 'users', type: 'base', fields: [{ type: 'text', name: '' }] },
    auth: 'superuser',
    expectStatus: 400,
    expectBody: { data: { name: code('validation_collection_name_exists'), fields: any(Object) } },
    expectContains: ['"code":"validation_required"'],
  },
  {
    name: 'duplicate name is case-insensitive',
    method: 'POST',
    url: '/api/collections',
    body: (t) => ({ name: t.vars.name.toUpperCase() }),
    auth: 'superuser',
    before: async (t) => {
      t.vars.name = (await t.createCollection({ name: 'dup' })).name;
    },
    expectStatus: 400,
    expectBody: { data: { name: code('validation_collection_name_exists') } },
  },
  {
    name: 'name equal to another collection id → 400',
    method: 'POST',
    url: '/api/collections',
    body: { name: '_pb_users_auth_' },
    auth: 'superuser',
    expectStatus: 400,
    expectBody: { data: { name: code('validation_collection_name_id_duplicate') } },
  },
  {
    name: 'name with invalid characters',
    method: 'POST',
    url: '/api/collections',
    body: { name: 'bad name!' },
    auth: 'superuser',
    expectStatus: 400,
    expectBody: { data: { name: code('validation_match_invalid') } },
  },
  {
    name: 'name containing _via_',
    method: 'POST',
    url: '/api/collections',
    body: { name: `a_via_b_${uniqueSuffix()}` },
    auth: 'superuser',
    expectStatus: 400,
    expectBody: { data: { name: code('validation_found_via') } },
  },
  {
    name: 'name longer than 255 chars',
    method: 'POST',
    url: '/api/collections',
    body: { name: 'n'.repeat(256) },
    auth: 'superuser',
    expectStatus: 400,
    expectBody: { data: { name: any(Object) } },
  },
  {
    name: 'unknown type',
    method: 'POST',
    url: '/api/collections',
    body: { name: `t_${uniqueSuffix()}`, type: 'graph' },
    auth: 'superuser',
    expectStatus: 400,
    expectBody: { data: { type: code('validation_in_invalid') } },
  },
  {
    name: 'reserved system field names in a base collection',
    method: 'POST',
    url: '/api/collections',
    body: {
      name: `r_${uniqueSuffix()}`,
      fields: [
        { type: 'text', name: 'id' },
        { type: 'text', name: 'expand' },
        { type: 'text', name: 'collectionId' },
        { type: 'text', name: 'collectionName' },
      ],
    },
    auth: 'superuser',
    expectStatus: 400,
    expectBody: {
      data: {
        fields: {
          '1': { name: code('validation_not_in_invalid') },
          '2': { name: code('validation_not_in_invalid') },
          '3': { name: code('validation_not_in_invalid') },
        },
      },
    },
  },
  {
    name: 'reserved auth names (oldPassword, passwordConfirm) in an auth collection',
    method: 'POST',
    url: '/api/collections',
    body: { name: `ra_${uniqueSuffix()}`, type: 'auth', fields: [text('oldPassword'), text('passwordConfirm')] },
    auth: 'superuser',
    expectStatus: 400,
    expectBody: { data: { fields: any(Object) } },
    expectContains: ['"code":"validation_reserved_field_name"'],
  },
  {
    name: 'auth field names are fine in a base collection',
    method: 'POST',
    url: '/api/collections',
    body: {
      name: `ba_${uniqueSuffix()}`,
      fields: [
        'email',
        'username',
        'verified',
        'emailVisibility',
        'tokenKey',
        'password',
        'passwordConfirm',
        'oldPassword',
      ].map((n) => text(n)),
    },
    auth: 'superuser',
    expectStatus: 200,
    expectBody: { type: 'base', fields: arrayOfLength(9) },
  },
  {
    name: 'duplicated field names (case-insensitive)',
    method: 'POST',
    url: '/api/collections',
    body: { name: `df_${uniqueSuffix()}`, fields: [text('title'), text('TITLE')] },
    auth: 'superuser',
    expectStatus: 400,
    expectBody: { data: { fields: any(Object) } },
    expectContains: ['"code":"validation_duplicated_field_name"'],
  },
  {
    name: 'field names: invalid characters and _via_',
    method: 'POST',
    url: '/api/collections',
    body: { name: `fn_${uniqueSuffix()}`, fields: [text('bad name'), text('x_via_y')] },
    auth: 'superuser',
    expectStatus: 400,
    expectContains: ['"code":"validation_match_invalid"', '"code":"validation_found_via"'],
  },
  {
    name: 'invalid rule syntax / unknown field in a rule',
    method: 'POST',
    url: '/api/collections',
    body: { name: `rl_${uniqueSuffix()}`, fields: [text('title')], listRule: 'title =', viewRule: 'missing = 1' },
    auth: 'superuser',
    expectStatus: 400,
    expectBody: { data: { listRule: code('validation_invalid_rule'), viewRule: code('validation_invalid_rule') } },
  },
  {
    name: 'index over a missing column → indexes.1 error',
    method: 'POST',
    url: '/api/collections',
    body: () => {
      const s = uniqueSuffix();
      return {
        name: `ix_${s}`,
        fields: [text('test')],
        indexes: [`create index idx_a_${s} on ix_${s} (test)`, `create index idx_b_${s} on ix_${s} (missing)`],
      };
    },
    auth: 'superuser',
    expectStatus: 400,
    expectBody: { data: { indexes: { '1': { code: any(String) } } } },
    expectNotContains: ['"0":{'],
  },
  {
    name: 'not an index expression',
    method: 'POST',
    url: '/api/collections',
    body: { name: `ie_${uniqueSuffix()}`, fields: [text('test')], indexes: ['drop table users'] },
    auth: 'superuser',
    expectStatus: 400,
    expectBody: { data: { indexes: { '0': code('validation_invalid_index_expression') } } },
    after: async (t) => assert.equal((await t.su.get('/api/collections/users')).status, 200),
  },
  {
    name: 'two indexes with the same name',
    method: 'POST',
    url: '/api/collections',
    body: () => {
      const s = uniqueSuffix();
      return {
        name: `di_${s}`,
        fields: [text('a'), text('b')],
        indexes: [`create index idx_d_${s} on x (a)`, `create index idx_d_${s} on x (b)`],
      };
    },
    auth: 'superuser',
    expectStatus: 400,
    expectBody: { data: { indexes: { '1': code('validation_duplicated_index_name') } } },
  },
  {
    name: 'index name already used by another collection',
    method: 'POST',
    url: '/api/collections',
    body: (t) => ({
      name: `ox_${uniqueSuffix()}`,
      fields: [text('a')],
      indexes: [`create index ${t.vars.idx} on x (a)`],
    }),
    auth: 'superuser',
    before: async (t) => {
      t.vars.idx = `idx_taken_${t.suffix}`;
      await t.createCollection({
        name: 'first',
        fields: [text('a')],
        indexes: [`create index ${t.vars.idx} on x (a)`],
      });
    },
    expectStatus: 400,
    expectBody: { data: { indexes: { '0': { code: any(String) } } } },
  },
  {
    name: 'valid indexes: the table name is rewritten to the collection name',
    method: 'POST',
    url: '/api/collections',
    body: (t) => ({
      name: t.vars.name,
      fields: [text('a'), text('b')],
      indexes: [
        `CREATE UNIQUE INDEX idx_u_${t.suffix} ON anything (a)`,
        `CREATE INDEX idx_i_${t.suffix} ON anything (a, b)`,
      ],
    }),
    auth: 'superuser',
    before: async (t) => {
      t.vars.name = `vi_${t.suffix}`;
    },
    expectStatus: 200,
    expectBody: { indexes: arrayOfLength(2) },
    after: async (t, res) => {
      for (const index of res.json<CollectionJson>().indexes) {
        assert.match(index, new RegExp(`\\b${t.vars.name}\\b`));
        assert.doesNotMatch(index, /anything/);
      }
    },
  },
  {
    name: 'invalid view query',
    method: 'POST',
    url: '/api/collections',
    body: { name: `vq_${uniqueSuffix()}`, type: 'view', viewQuery: 'select from nowhere ((' },
    auth: 'superuser',
    expectStatus: 400,
    expectBody: { data: { viewQuery: code('validation_invalid_view_query') } },
  },
  {
    name: 'custom collection id is kept',
    method: 'POST',
    url: '/api/collections',
    body: (t) => ({ id: `customid_${t.suffix}`, name: `cid_${t.suffix}`, fields: [text('a')] }),
    auth: 'superuser',
    expectStatus: 200,
    expectBody: (t) => ({ id: `customid_${t.suffix}`, name: `cid_${t.suffix}` }),
  },
  {
    name: 'generated collection id has the pbc_ form',
    method: 'POST',
    url: '/api/collections',
    body: { name: `gid_${uniqueSuffix()}` },
    auth: 'superuser',
    expectStatus: 200,
    expectBody: { id: matching(/^pbc_\d+$/), type: 'base', system: false, fields: [{ name: 'id' }] },
  },
]);
