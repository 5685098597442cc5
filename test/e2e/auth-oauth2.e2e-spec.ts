// POST /api/collections/{c}/auth-with-oauth2 against a real OAuth2 provider (oauth2-mock-server).
import assert from 'node:assert/strict';

import { absent, any, not, runScenarios, ScenarioContext, tokenFor } from '@lib/testing';

import {
  authorize,
  CLIENT_ID,
  CLIENT_SECRET,
  links,
  mock,
  oauthBody,
  oauthUrl,
  oidcProfile,
  people,
  REDIRECT_URL,
  useOAuth2Mock,
} from './support/oauth2-mock';

useOAuth2Mock();

/** A verified (or not) record in `people` made by the superuser. */
async function person(t: ScenarioContext, fields: Record<string, unknown>): Promise<void> {
  const res = await t.su.post(`/api/collections/${t.col('people')}/records`, {
    password: 'Old-Passw0rd-1',
    passwordConfirm: 'Old-Passw0rd-1',
    ...fields,
  });
  assert.equal(res.status, 200, res.text);
  t.vars.existing = res.json<{ id: string }>().id;
}

runScenarios('auth-with-oauth2: account matching', [
  {
    name: 'new user: created with the mapped fields, verified email, link and meta',
    method: 'POST',
    url: oauthUrl,
    before: async (t) => {
      await people(t);
      await authorize(t, oidcProfile(t));
    },
    body: oauthBody({ createData: { name: 'ignored: createData wins over mapping' } }),
    expectStatus: 200,
    expectBody: (t) => ({
      token: any(String),
      record: {
        collectionName: t.col('people'),
        email: `oauth_${t.suffix}@example.com`,
        verified: true,
        name: 'ignored: createData wins over mapping',
        username: `ada_${t.suffix}`,
        avatarUrl: `https://img.example.com/${t.suffix}.png`,
        extId: `sub-${t.suffix}`,
        password: absent(),
        tokenKey: absent(),
      },
      meta: {
        id: `sub-${t.suffix}`,
        name: `Ada ${t.suffix}`,
        username: `ada_${t.suffix}`,
        email: `oauth_${t.suffix}@example.com`,
        avatarURL: `https://img.example.com/${t.suffix}.png`,
        accessToken: any(String),
        refreshToken: any(String),
        expiry: any(String),
        rawUser: { sub: `sub-${t.suffix}`, email_verified: true },
        isNew: true,
      },
    }),
    after: async (t, res) => {
      const id = res.json<{ record: { id: string } }>().record.id;
      assert.deepEqual(
        (await links(t, id)).map((l) => [l.provider, l.providerId, l.collectionRef]),
        [['oidc', `sub-${t.suffix}`, t.id('people')]],
      );
      // The code was exchanged with the client credentials, the redirect URL and the PKCE verifier.
      assert.equal(mock().lastTokenRequest.code_verifier, t.vars.verifier);
      assert.equal(mock().lastTokenRequest.redirect_uri, REDIRECT_URL);
      // The client authenticates with HTTP Basic first, as PocketBase (Go's oauth2) does.
      const basic = String(mock().lastTokenHeaders.authorization);
      assert.equal(Buffer.from(basic.replace(/^Basic /, ''), 'base64').toString(), `${CLIENT_ID}:${CLIENT_SECRET}`);
      assert.equal(mock().lastTokenRequest.grant_type, 'authorization_code');
    },
  },
  {
    name: 'the returned token authenticates the new user',
    method: 'POST',
    url: (t) => `/api/collections/${t.col('people')}/auth-refresh`,
    before: async (t) => {
      await people(t);
      await authorize(t, oidcProfile(t));
      const res = await t.request('POST', oauthUrl(t), { body: oauthBody()(t) });
      t.auth(res.json<{ token: string }>().token);
    },
    expectStatus: 200,
    expectBody: (t) => ({ record: { email: `oauth_${t.suffix}@example.com` } }),
  },
  {
    name: 'existing verified user with the same email: linked, not created, password kept',
    method: 'POST',
    url: oauthUrl,
    before: async (t) => {
      await people(t);
      await person(t, { email: `oauth_${t.suffix}@example.com`, verified: true, name: 'Existing' });
      await authorize(t, oidcProfile(t));
    },
    body: oauthBody(),
    expectStatus: 200,
    expectBody: (t) => ({ record: { id: t.vars.existing, name: 'Existing', verified: true }, meta: { isNew: false } }),
    after: async (t) => {
      assert.equal(await t.countRecords('people'), 1);
      assert.equal((await links(t, t.vars.existing)).length, 1);
      await tokenFor(t.http, t.col('people'), `oauth_${t.suffix}@example.com`, 'Old-Passw0rd-1');
    },
  },
  {
    name: 'existing unverified user with the same email: verified and its password randomized',
    method: 'POST',
    url: oauthUrl,
    before: async (t) => {
      await people(t);
      await person(t, { email: `oauth_${t.suffix}@example.com` });
      await authorize(t, oidcProfile(t));
    },
    body: oauthBody(),
    expectStatus: 200,
    expectBody: (t) => ({ record: { id: t.vars.existing, verified: true }, meta: { isNew: false } }),
    after: async (t) => {
      await assert.rejects(tokenFor(t.http, t.col('people'), `oauth_${t.suffix}@example.com`, 'Old-Passw0rd-1'));
    },
  },
  {
    name: 'an unverified provider email never matches an existing account',
    method: 'POST',
    url: oauthUrl,
    before: async (t) => {
      await people(t);
      await person(t, { email: `oauth_${t.suffix}@example.com`, verified: true });
      await authorize(t, oidcProfile(t, { email_verified: false }));
    },
    body: (t) => oauthBody({ createData: { email: `other_${t.suffix}@example.com` } })(t),
    expectStatus: 200,
    expectBody: (t) => ({ record: { id: not(t.vars.existing), verified: false }, meta: { isNew: true, email: '' } }),
  },
  {
    name: 'logged-in caller: the provider account is linked to the caller',
    method: 'POST',
    url: oauthUrl,
    before: async (t) => {
      await people(t);
      const caller = await t.makeUser({ verified: true }, 'people');
      t.vars.existing = caller.record.id;
      t.auth(caller);
      await authorize(t, oidcProfile(t, { email: `elsewhere_${t.suffix}@example.com` }));
    },
    body: oauthBody(),
    expectStatus: 200,
    expectBody: (t) => ({ record: { id: t.vars.existing }, meta: { isNew: false } }),
    after: async (t) => {
      assert.equal(await t.countRecords('people'), 1);
      assert.deepEqual(
        (await links(t, t.vars.existing)).map((l) => l.providerId),
        [`sub-${t.suffix}`],
      );
    },
  },
  {
    name: 'second login: the external auth is reused even after the provider email changed',
    method: 'POST',
    url: oauthUrl,
    before: async (t) => {
      await people(t);
      await authorize(t, oidcProfile(t));
      const first = await t.request('POST', oauthUrl(t), { body: oauthBody()(t) });
      assert.equal(first.status, 200, first.text);
      t.vars.existing = first.json<{ record: { id: string } }>().record.id;
      await authorize(t, oidcProfile(t, { email: `changed_${t.suffix}@example.com` }));
    },
    body: oauthBody(),
    expectStatus: 200,
    expectBody: (t) => ({
      record: { id: t.vars.existing, email: `oauth_${t.suffix}@example.com` },
      meta: { isNew: false },
    }),
    after: async (t) => {
      assert.equal(await t.countRecords('people'), 1);
      assert.equal((await links(t, t.vars.existing)).length, 1);
    },
  },
  {
    name: 'MFA on: OAuth2 as first factor → 401 {mfaId}; password with that mfaId completes it',
    method: 'POST',
    url: oauthUrl,
    before: async (t) => {
      await people(t, { mfa: { enabled: true } });
      await person(t, { email: `oauth_${t.suffix}@example.com`, verified: true });
      await authorize(t, oidcProfile(t));
    },
    body: oauthBody(),
    expectStatus: 401,
    expectBody: { mfaId: any(String) },
    after: async (t, res) => {
      const second = await t.request('POST', `/api/collections/${t.col('people')}/auth-with-password`, {
        body: {
          identity: `oauth_${t.suffix}@example.com`,
          password: 'Old-Passw0rd-1',
          mfaId: res.json<{ mfaId: string }>().mfaId,
        },
      });
      assert.equal(second.status, 200, second.text);
      assert.equal(second.json<{ record: { id: string } }>().record.id, t.vars.existing);
    },
  },
  {
    name: 'an anonymous guest linking OAuth2 keeps its id and gets the verified provider email',
    method: 'POST',
    url: oauthUrl,
    before: async (t) => {
      await people(t, { anonymousAuth: { enabled: true } });
      const guest = await t.request('POST', `/api/collections/${t.col('people')}/auth-anonymously`, { body: {} });
      const body = guest.json<{ token: string; record: { id: string } }>();
      t.vars.existing = body.record.id;
      t.auth(body.token);
      await authorize(t, oidcProfile(t));
    },
    body: oauthBody(),
    expectStatus: 200,
    expectBody: (t) => ({
      record: { id: t.vars.existing, email: `oauth_${t.suffix}@example.com`, verified: true },
      meta: { isNew: false },
    }),
  },
]);
