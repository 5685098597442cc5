import assert from 'node:assert/strict';
import { any, arrayContaining, arrayOfLength, OPEN_RULES, runScenarios, text } from '@lib/testing';

const UNAUTHORIZED = { status: 401, data: {} };
const FORBIDDEN = { status: 403, data: {} };

runScenarios('GET /api/collections', [
  { name: 'guest → 401', method: 'GET', url: '/api/collections', expectStatus: 401, expectBody: UNAUTHORIZED },
  {
    name: 'regular user → 403',
    method: 'GET',
    url: '/api/collections',
    before: async (t) => t.auth(await t.makeUser()),
    expectStatus: 403,
    expectBody: FORBIDDEN,
  },
  {
    name: 'superuser gets the list envelope with the system collections',
    method: 'GET',
    url: '/api/collections?perPage=1000',
    auth: 'superuser',
    expectStatus: 200,
    expectBody: {
      page: 1,
      perPage: 1000,
      totalItems: any(Number),
      totalPages: any(Number),
      items: arrayContaining([
        { id: '_pb_users_auth_', name: 'users', type: 'auth', system: false },
        { id: 'pbc_3142635823', name: '_superusers', type: 'auth', system: true },
        { name: '_externalAuths', system: true },
        { name: '_mfas', system: true },
        { name: '_otps', system: true },
        { name: '_authOrigins', system: true },
      ]),
    },
    // A server shared by many suites (NB_TEST_BASE_URL) may hold more than one page of collections.
    after: async (_t, res) => {
      const list = res.json<{ totalItems: number; totalPages: number }>();
      assert.equal(list.totalPages, Math.max(1, Math.ceil(list.totalItems / 1000)));
    },
  },
  {
    name: 'paging and sorting',
    method: 'GET',
    url: '/api/collections?page=2&perPage=2&sort=-created,name',
    auth: 'superuser',
    before: async (t) => {
      await t.createCollection({ name: 'pa' });
      await t.createCollection({ name: 'pb' });
    },
    expectStatus: 200,
    expectBody: { page: 2, perPage: 2, items: arrayOfLength(2) },
  },
  {
    name: 'valid filter on name',
    method: 'GET',
    url: (t) => `/api/collections?filter=${encodeURIComponent(`name = "${t.col('posts')}"`)}`,
    auth: 'superuser',
    before: async (t) => {
      await t.createCollection({ name: 'posts', ...OPEN_RULES, fields: [text('title')] });
    },
    expectStatus: 200,
    expectBody: (t) => ({ totalItems: 1, items: [{ name: t.col('posts'), type: 'base' }] }),
  },
  {
    name: 'filter on type and system',
    method: 'GET',
    url: `/api/collections?perPage=1000&filter=${encodeURIComponent('type = "auth" && system = true')}`,
    auth: 'superuser',
    expectStatus: 200,
    expectBody: { items: arrayContaining([{ name: '_superusers' }]) },
    expectNotContains: ['"name":"users"'],
  },
  {
    name: 'invalid filter → 400',
    method: 'GET',
    url: `/api/collections?filter=${encodeURIComponent('name ==== ')}`,
    auth: 'superuser',
    expectStatus: 400,
    expectBody: { status: 400, data: {} },
  },
  {
    name: 'filter on a non-filterable key → 400',
    method: 'GET',
    url: `/api/collections?filter=${encodeURIComponent('listRule = "x"')}`,
    auth: 'superuser',
    expectStatus: 400,
    expectBody: { status: 400, data: {} },
  },
]);

runScenarios('GET /api/collections/:idOrName', [
  { name: 'guest → 401', method: 'GET', url: '/api/collections/users', expectStatus: 401, expectBody: UNAUTHORIZED },
  {
    name: 'regular user → 403',
    method: 'GET',
    url: '/api/collections/users',
    before: async (t) => t.auth(await t.makeUser()),
    expectStatus: 403,
    expectBody: FORBIDDEN,
  },
  {
    name: 'missing collection → 404',
    method: 'GET',
    url: '/api/collections/missing_collection_x',
    auth: 'superuser',
    expectStatus: 404,
    expectBody: { status: 404, data: {} },
  },
  {
    name: 'by name: the users collection contract',
    method: 'GET',
    url: '/api/collections/users',
    auth: 'superuser',
    expectStatus: 200,
    expectBody: {
      id: '_pb_users_auth_',
      name: 'users',
      type: 'auth',
      listRule: 'id = @request.auth.id',
      viewRule: 'id = @request.auth.id',
      createRule: '',
      updateRule: 'id = @request.auth.id',
      deleteRule: 'id = @request.auth.id',
      fields: arrayContaining([
        { name: 'id', type: 'text', primaryKey: true, system: true },
        { name: 'email', type: 'email', system: true },
        { name: 'emailVisibility', type: 'bool' },
        { name: 'verified', type: 'bool' },
        { name: 'password', type: 'password', hidden: true },
        { name: 'tokenKey', type: 'text', hidden: true },
        { name: 'name', type: 'text' },
        { name: 'avatar', type: 'file' },
        { name: 'created', type: 'autodate' },
        { name: 'updated', type: 'autodate' },
      ]),
    },
    expectNotContains: ['"secret"'],
  },
  {
    name: 'by id',
    method: 'GET',
    url: (t) => `/api/collections/${t.id('posts')}`,
    auth: 'superuser',
    before: async (t) => {
      await t.createCollection({ name: 'posts', fields: [text('title')] });
    },
    expectStatus: 200,
    expectBody: (t) => ({ id: t.id('posts'), name: t.col('posts'), listRule: null, fields: arrayOfLength(2) }),
  },
  {
    name: 'the _superusers collection keeps its hard-coded id',
    method: 'GET',
    url: '/api/collections/_superusers',
    auth: 'superuser',
    expectStatus: 200,
    expectBody: { id: 'pbc_3142635823', system: true, listRule: null, createRule: null },
  },
]);

runScenarios('GET /api/collections/meta/scaffolds', [
  {
    name: 'guest → 401',
    method: 'GET',
    url: '/api/collections/meta/scaffolds',
    expectStatus: 401,
    expectBody: UNAUTHORIZED,
  },
  {
    name: 'regular user → 403',
    method: 'GET',
    url: '/api/collections/meta/scaffolds',
    before: async (t) => t.auth(await t.makeUser()),
    expectStatus: 403,
    expectBody: FORBIDDEN,
  },
  {
    name: 'superuser gets auth/base/view scaffolds with empty id and name',
    method: 'GET',
    url: '/api/collections/meta/scaffolds',
    auth: 'superuser',
    expectStatus: 200,
    expectBody: {
      auth: { id: '', name: '', type: 'auth', fields: arrayContaining([{ name: 'password' }, { name: 'email' }]) },
      base: { id: '', name: '', type: 'base', fields: arrayContaining([{ name: 'id', primaryKey: true }]) },
      view: { id: '', name: '', type: 'view' },
    },
  },
]);
