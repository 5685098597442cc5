import assert from 'node:assert/strict';

import { runScenarios, type Scenario } from '@lib/testing';

const originsOf = (id: string) =>
  `/api/collections/_authOrigins/records?filter=${encodeURIComponent(`recordRef = "${id}"`)}`;

runScenarios('auth record state and legacy Authorization prefixes', [
  {
    name: 'deleting a user deletes its _authOrigins/_externalAuths rows',
    method: 'DELETE',
    url: (t) => `/api/collections/users/records/${t.users.ann.record.id}`,
    auth: 'superuser',
    before: async (t) => {
      const ann = await t.makeUser({}, 'users', 'ann');
      const ref = { collectionRef: '_pb_users_auth_', recordRef: ann.record.id };
      await t.su.expectOk('POST', '/api/collections/_authOrigins/records', { ...ref, fingerprint: 'f1' });
      await t.su.expectOk('POST', '/api/collections/_externalAuths/records', {
        ...ref,
        provider: 'oidc',
        providerId: 'x1',
      });
      const bob = await t.makeUser({}, 'users', 'bob');
      await t.su.expectOk('POST', '/api/collections/_authOrigins/records', {
        ...ref,
        recordRef: bob.record.id,
        fingerprint: 'f2',
      });
      t.vars.bobOrigins = String(
        (await t.su.expectOk<{ totalItems: number }>('GET', originsOf(bob.record.id))).totalItems,
      );
    },
    expectStatus: 204,
    watch: (t) => [`users/${t.users.ann.record.id}`, `users/${t.users.bob.record.id}`],
    expectEvents: { 'record.deleted': 1, '*': 0 },
    after: async (t) => {
      const ann = t.users.ann.record.id;
      assert.equal((await t.su.expectOk<{ totalItems: number }>('GET', originsOf(ann))).totalItems, 0);
      const external = `/api/collections/_externalAuths/records?filter=${encodeURIComponent(`recordRef = "${ann}"`)}`;
      assert.equal((await t.su.expectOk<{ totalItems: number }>('GET', external)).totalItems, 0);
      const bobAfter = (await t.su.expectOk<{ totalItems: number }>('GET', originsOf(t.users.bob.record.id)))
        .totalItems;
      assert.ok(bobAfter >= 1, 'the other user keeps its rows');
      assert.equal(String(bobAfter), t.vars.bobOrigins);
    },
  },
  ...['User', 'Admin', 'Bearer', 'bearer'].map((prefix): Scenario => ({
    name: `"Authorization: ${prefix} <token>" is accepted`,
    method: 'POST',
    url: '/api/collections/users/auth-refresh',
    headers: (t) => ({ Authorization: `${prefix} ${t.users.cy.token}` }),
    before: async (t) => {
      await t.makeUser({}, 'users', 'cy');
    },
    expectStatus: 200,
    watch: (t) => [`users/${t.users.cy.record.id}`],
    expectEvents: { '*': 0 },
  })),
  {
    name: 'auth-refresh with a non-refreshable (impersonation) token returns the same token',
    method: 'POST',
    url: '/api/collections/users/auth-refresh',
    headers: (t) => ({ Authorization: t.vars.impersonated }),
    before: async (t) => {
      const dee = await t.makeUser({}, 'users', 'dee');
      const res = await t.su.expectOk<{ token: string }>(
        'POST',
        `/api/collections/users/impersonate/${dee.record.id}`,
        { duration: 600 },
      );
      t.vars.impersonated = res.token;
    },
    expectStatus: 200,
    watch: (t) => [`users/${t.users.dee.record.id}`],
    expectEvents: { '*': 0 },
    after: async (t, res) => {
      const body = res.json<{ token: string; record: { id: string; email: string } }>();
      assert.equal(body.token, t.vars.impersonated);
      assert.equal(body.record.id, t.users.dee.record.id);
      assert.equal(body.record.email, t.users.dee.email);
    },
  },
]);
