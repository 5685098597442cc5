// CORS as PocketBase answers it (and as @fastify/cors with `origin: true` did before its own hook replaced it):
// every answer varies on Origin and echoes a given one; every OPTIONS request is a 204 preflight with the
// allowed methods and the asked headers echoed, also without Origin, on unknown paths and before any auth.
import assert from 'node:assert/strict';

import { runScenarios } from '@lib/testing';

const METHODS = 'GET, HEAD, PUT, PATCH, POST, DELETE';

runScenarios('CORS', [
  {
    name: 'a request with an Origin gets it back, and Vary: Origin',
    method: 'GET',
    url: '/api/health',
    headers: { origin: 'https://app.example.com' },
    expectStatus: 200,
    after: async (_t, res) => {
      assert.equal(res.headers.get('access-control-allow-origin'), 'https://app.example.com');
      assert.equal(res.headers.get('vary'), 'Origin');
      assert.equal(res.headers.get('access-control-allow-methods'), null);
    },
  },
  {
    name: 'without an Origin: no allow-origin, still Vary: Origin (also on a 404)',
    method: 'GET',
    url: '/api/nope',
    expectStatus: 404,
    after: async (_t, res) => {
      assert.equal(res.headers.get('access-control-allow-origin'), null);
      assert.equal(res.headers.get('vary'), 'Origin');
    },
  },
  {
    name: 'a preflight is a 204 with the methods, the asked headers and both Vary names',
    method: 'OPTIONS',
    url: '/api/collections/users/records',
    headers: {
      origin: 'https://app.example.com',
      'access-control-request-method': 'PATCH',
      'access-control-request-headers': 'authorization, content-type',
    },
    expectStatus: 204,
    after: async (_t, res) => {
      assert.equal(res.text, '');
      assert.equal(res.headers.get('access-control-allow-origin'), 'https://app.example.com');
      assert.equal(res.headers.get('access-control-allow-methods'), METHODS);
      assert.equal(res.headers.get('access-control-allow-headers'), 'authorization, content-type');
      assert.equal(res.headers.get('vary'), 'Origin, Access-Control-Request-Headers');
      assert.equal(res.headers.get('content-length'), '0');
    },
  },
  {
    name: 'any OPTIONS request is a preflight: no Origin, no request method, an unknown path, a bad token',
    method: 'OPTIONS',
    url: '/api/nowhere/at/all',
    headers: { authorization: 'not-a-jwt' },
    expectStatus: 204,
    after: async (_t, res) => {
      assert.equal(res.headers.get('access-control-allow-origin'), null);
      assert.equal(res.headers.get('access-control-allow-methods'), METHODS);
      assert.equal(res.headers.get('access-control-allow-headers'), null);
    },
  },
]);
