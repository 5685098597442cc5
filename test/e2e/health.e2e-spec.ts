import assert from 'node:assert/strict';

import { any, runScenarios } from '@lib/testing';

const NOT_FOUND = { status: 404, message: "The requested resource wasn't found.", data: {} };

runScenarios('GET /api/health', [
  {
    name: 'guest gets the healthy envelope',
    method: 'GET',
    url: '/api/health',
    expectStatus: 200,
    expectBody: { code: 200, message: 'API is healthy.', data: {} },
  },
  {
    name: 'regular user gets the same empty data',
    method: 'GET',
    url: '/api/health',
    before: async (t) => t.auth(await t.makeUser()),
    expectStatus: 200,
    expectBody: { code: 200, message: 'API is healthy.', data: {} },
  },
  {
    name: 'superuser gets canBackup (no backup running), realIP and the proxy header seen',
    method: 'GET',
    url: '/api/health',
    auth: 'superuser',
    headers: { 'x-real-ip': '10.1.2.3' },
    expectStatus: 200,
    expectBody: { code: 200, data: { canBackup: true, realIP: any(String), possibleProxyHeader: 'X-Real-IP' } },
  },
  {
    name: 'an invalid token is ignored (guest, no 401)',
    method: 'GET',
    url: '/api/health',
    headers: { authorization: 'not-a-jwt' },
    expectStatus: 200,
    expectBody: { code: 200, data: {} },
  },
  {
    name: 'security headers are set',
    method: 'GET',
    url: '/api/health',
    expectStatus: 200,
    after: async (_t, res) => {
      assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
      assert.equal(res.headers.get('x-frame-options'), 'SAMEORIGIN');
      assert.equal(res.headers.get('x-xss-protection'), '1; mode=block');
    },
  },
  {
    name: 'CORS allows any origin',
    method: 'GET',
    url: '/api/health',
    headers: { origin: 'https://example.org' },
    expectStatus: 200,
    after: async (_t, res) => {
      const allowed = res.headers.get('access-control-allow-origin');
      assert.ok(allowed === '*' || allowed === 'https://example.org', `allow-origin: ${String(allowed)}`);
    },
  },
]);

runScenarios('unknown routes and auth header forms', [
  {
    name: 'unknown /api route → 404 envelope',
    method: 'GET',
    url: '/api/nope',
    expectStatus: 404,
    expectBody: NOT_FOUND,
  },
  { name: 'bare /api → 404', method: 'GET', url: '/api', expectStatus: 404, expectBody: { status: 404, data: {} } },
  {
    name: 'unknown sub-route of a collection → 404',
    method: 'GET',
    url: '/api/collections/users/nope',
    expectStatus: 404,
    expectBody: { status: 404, data: {} },
  },
  {
    name: 'POST to an unknown route → 404',
    method: 'POST',
    url: '/api/does-not-exist',
    body: { a: 1 },
    expectStatus: 404,
    expectBody: { status: 404, data: {} },
  },
  {
    name: 'superuser-only route with an invalid token → 401 (token ignored)',
    method: 'GET',
    url: '/api/collections',
    headers: { authorization: 'eyJhbGciOiJIUzI1NiJ9.e30.invalid' },
    expectStatus: 401,
    expectBody: { status: 401, message: any(String), data: {} },
  },
  {
    name: '"Bearer <token>" is accepted too',
    method: 'GET',
    url: '/api/collections?perPage=1',
    headers: (t) => ({ authorization: `Bearer ${t.su.token}` }),
    expectStatus: 200,
    expectBody: { page: 1, perPage: 1 },
  },
  {
    name: 'lower-case "bearer" prefix is accepted',
    method: 'GET',
    url: '/api/collections?perPage=1',
    headers: (t) => ({ authorization: `bearer ${t.su.token}` }),
    expectStatus: 200,
  },
  {
    name: 'a user token on a superuser route → 403',
    method: 'GET',
    url: '/api/settings',
    before: async (t) => t.auth(await t.makeUser()),
    expectStatus: 403,
    expectBody: { status: 403, data: {} },
  },
]);
