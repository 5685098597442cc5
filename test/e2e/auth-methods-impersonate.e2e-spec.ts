// POST /api/collections/:c/impersonate/:id: superusers get a non-refreshable auth token of any record.
import assert from 'node:assert/strict';

import { any, runScenarios, ScenarioContext, text } from '@lib/testing';

import { jwtClaims } from './support/jwt-claims';

const now = () => Math.floor(Date.now() / 1000);

async function target(t: ScenarioContext): Promise<void> {
  const user = await t.makeUser();
  t.vars.id = user.record.id;
  t.vars.email = user.email;
}

runScenarios('POST /api/collections/:c/impersonate/:id', [
  {
    name: 'superuser, duration 3600: token + record; the token is a non-refreshable auth token of the user',
    method: 'POST',
    url: (t) => `/api/collections/users/impersonate/${t.vars.id}`,
    auth: 'superuser',
    before: target,
    body: { duration: 3600 },
    expectStatus: 200,
    expectBody: (t) => ({
      token: any(String),
      record: { id: t.vars.id, email: t.vars.email, collectionName: 'users' },
    }),
    expectNotContains: ['tokenKey', '"password"'],
    after: async (t, res) => {
      const { token } = res.json<{ token: string }>();
      const claims = jwtClaims(token);
      assert.equal(claims.type, 'auth');
      assert.equal(claims.id, t.vars.id);
      assert.equal(claims.collectionId, '_pb_users_auth_');
      assert.equal(claims.refreshable, false);
      assert.ok(Math.abs(Number(claims.exp) - (now() + 3600)) <= 5, `exp ${String(claims.exp)}`);
      const own = await t.request('GET', `/api/collections/users/records/${t.vars.id}`, { token });
      assert.equal(own.status, 200, 'the impersonation token authenticates as the user');
    },
  },
  {
    name: 'no duration: the collection authToken duration',
    method: 'POST',
    url: (t) => `/api/collections/users/impersonate/${t.vars.id}`,
    auth: 'superuser',
    before: async (t) => {
      await target(t);
      const users = await t.su.expectOk<{ authToken: { duration: number } }>('GET', '/api/collections/users');
      t.vars.duration = String(users.authToken.duration);
    },
    expectStatus: 200,
    after: async (t, res) => {
      const exp = Number(jwtClaims(res.json<{ token: string }>().token).exp);
      assert.ok(Math.abs(exp - (now() + Number(t.vars.duration))) <= 5, `exp ${exp} vs duration ${t.vars.duration}`);
    },
  },
  {
    name: 'duration 0 is the default too',
    method: 'POST',
    url: (t) => `/api/collections/users/impersonate/${t.vars.id}`,
    auth: 'superuser',
    before: target,
    body: { duration: 0 },
    expectStatus: 200,
    after: async (_t, res) => {
      const exp = Number(jwtClaims(res.json<{ token: string }>().token).exp);
      assert.ok(exp - now() > 3600);
    },
  },
  {
    name: 'a custom auth collection, by id; hidden fields are shown to the superuser',
    method: 'POST',
    url: (t) => `/api/collections/${t.id('staff')}/impersonate/${t.vars.id}?fields=token,record.secretNote`,
    auth: 'superuser',
    before: async (t) => {
      await t.createCollection({ name: 'staff', type: 'auth', fields: [text('secretNote', { hidden: true })] });
      t.vars.id = (await t.makeUser({ secretNote: 'psst' }, 'staff')).record.id;
    },
    body: { duration: 60 },
    expectStatus: 200,
    expectBody: { token: any(String), record: { secretNote: 'psst' } },
    after: async (_t, res) => {
      const exp = Number(jwtClaims(res.json<{ token: string }>().token).exp);
      assert.ok(Math.abs(exp - (now() + 60)) <= 5, `exp ${exp}`);
    },
  },
  {
    name: 'guest: 401',
    method: 'POST',
    url: (t) => `/api/collections/users/impersonate/${t.vars.id}`,
    auth: 'guest',
    before: target,
    expectStatus: 401,
  },
  {
    name: 'a regular user, even for itself: 403',
    method: 'POST',
    url: (t) => `/api/collections/users/impersonate/${t.vars.id}`,
    before: async (t) => {
      const user = await t.makeUser();
      t.vars.id = user.record.id;
      t.auth(user);
    },
    expectStatus: 403,
  },
  {
    name: 'unknown record: 404',
    method: 'POST',
    url: '/api/collections/users/impersonate/aaaaaaaaaaaaaaa',
    auth: 'superuser',
    expectStatus: 404,
  },
  {
    name: 'non-auth collection: 404',
    method: 'POST',
    url: (t) => `/api/collections/${t.col('posts')}/impersonate/aaaaaaaaaaaaaaa`,
    auth: 'superuser',
    before: async (t) => {
      await t.createCollection({ name: 'posts', type: 'base', fields: [] });
    },
    expectStatus: 404,
  },
  {
    name: 'negative duration: 400 on duration',
    method: 'POST',
    url: (t) => `/api/collections/users/impersonate/${t.vars.id}`,
    auth: 'superuser',
    before: target,
    body: { duration: -5 },
    expectStatus: 400,
    expectBody: { data: { duration: { code: 'validation_min_number_constraint' } } },
  },
  {
    name: 'non-numeric duration: 400 on duration',
    method: 'POST',
    url: (t) => `/api/collections/users/impersonate/${t.vars.id}`,
    auth: 'superuser',
    before: target,
    body: { duration: 'forever' },
    expectStatus: 400,
    expectBody: { data: { duration: { code: 'validation_invalid_value' } } },
  },
]);
