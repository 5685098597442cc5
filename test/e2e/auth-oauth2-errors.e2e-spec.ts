// auth-with-oauth2 refusals and the provider endpoints (meta list, redirect page, presets).
import assert from 'node:assert/strict';

import { absent, arrayContaining, freePort, not, runScenarios, ScenarioContext } from '@lib/testing';

import {
  authorize,
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

const invalidData = { status: 400, message: 'An error occurred while validating the submitted data.' };

async function nobodyCreated(t: ScenarioContext): Promise<void> {
  assert.equal(await t.countRecords('people'), 0);
  const all = await t.su.expectOk<{ items: { collectionRef: string }[] }>(
    'GET',
    '/api/collections/_externalAuths/records?perPage=1000',
  );
  assert.equal(all.items.filter((l) => l.collectionRef === t.id('people')).length, 0);
}

runScenarios('auth-with-oauth2: refusals', [
  {
    name: 'PKCE: a verifier that does not match the challenge is rejected by the provider → 400',
    method: 'POST',
    url: oauthUrl,
    before: async (t) => {
      await people(t);
      await authorize(t, oidcProfile(t));
    },
    body: oauthBody({ codeVerifier: 'x'.repeat(43) }),
    expectStatus: 400,
    expectBody: { status: 400, message: 'Failed to fetch OAuth2 token.', data: {} },
    after: nobodyCreated,
  },
  {
    name: 'a code used twice is refused the second time',
    method: 'POST',
    url: oauthUrl,
    before: async (t) => {
      await people(t);
      await authorize(t, oidcProfile(t));
      assert.equal((await t.request('POST', oauthUrl(t), { body: oauthBody()(t) })).status, 200);
    },
    body: oauthBody(),
    expectStatus: 400,
    expectBody: { message: 'Failed to fetch OAuth2 token.' },
  },
  {
    name: 'createRule failing for the new record → 400, no record, no link',
    method: 'POST',
    url: oauthUrl,
    before: async (t) => {
      await people(t, { createRule: "@request.context != 'oauth2'" });
      await authorize(t, oidcProfile(t));
    },
    body: oauthBody(),
    expectStatus: 400,
    expectBody: { status: 400, message: 'Failed to create record.' },
    after: nobodyCreated,
  },
  {
    name: "createRule with @request.context = 'oauth2' and createData lets the record in",
    method: 'POST',
    url: oauthUrl,
    before: async (t) => {
      await people(t, { createRule: "@request.context = 'oauth2' && @request.body.name = 'Invited'" });
      await authorize(t, oidcProfile(t));
    },
    body: oauthBody({ createData: { name: 'Invited' } }),
    expectStatus: 200,
    expectBody: { record: { name: 'Invited' }, meta: { isNew: true } },
  },
  {
    name: 'createData with an invalid field value → 400 with the field error',
    method: 'POST',
    url: oauthUrl,
    before: async (t) => {
      await people(t);
      await authorize(t, oidcProfile(t));
    },
    body: oauthBody({ createData: { avatarUrl: 'not a url' } }),
    expectStatus: 400,
    expectBody: { data: { avatarUrl: { code: not('') } } },
    after: nobodyCreated,
  },
  {
    name: 'unknown provider → 400 validation_invalid_provider',
    method: 'POST',
    url: oauthUrl,
    before: people,
    body: { provider: 'myspace', code: 'abc' },
    expectStatus: 400,
    expectBody: { ...invalidData, data: { provider: { code: 'validation_invalid_provider' } } },
  },
  {
    name: 'a built-in provider the collection did not configure → 400 validation_invalid_provider',
    method: 'POST',
    url: oauthUrl,
    before: people,
    body: { provider: 'google', code: 'abc' },
    expectStatus: 400,
    expectBody: { data: { provider: { code: 'validation_invalid_provider' } } },
  },
  {
    name: 'a provider entry with enabled:false → 400 validation_invalid_provider',
    method: 'POST',
    url: oauthUrl,
    before: async (t) => {
      await people(t, {
        oauth2: { enabled: true, providers: [mock().provider('oidc', { enabled: false })] },
      });
    },
    body: { provider: 'oidc', code: 'abc' },
    expectStatus: 400,
    expectBody: { data: { provider: { code: 'validation_invalid_provider' } } },
  },
  {
    name: 'provider and code missing → 400 validation_required',
    method: 'POST',
    url: oauthUrl,
    before: people,
    body: { createData: [] },
    expectStatus: 400,
    expectBody: {
      ...invalidData,
      data: {
        provider: { code: 'validation_required' },
        code: { code: 'validation_required' },
        createData: { code: 'validation_invalid_value' },
      },
    },
  },
  {
    name: 'oauth2 disabled → 403',
    method: 'POST',
    url: oauthUrl,
    before: (t) => people(t, { oauth2: { enabled: false, providers: [mock().provider('oidc')] } }),
    body: { provider: 'oidc', code: 'abc' },
    expectStatus: 403,
    expectBody: { status: 403, message: 'The collection is not configured to allow OAuth2 authentication.', data: {} },
  },
  {
    name: '_superusers can never use OAuth2 → 403',
    method: 'POST',
    url: '/api/collections/_superusers/auth-with-oauth2',
    body: { provider: 'oidc', code: 'abc' },
    expectStatus: 403,
  },
  {
    name: 'a base collection → 404',
    method: 'POST',
    url: '/api/collections/_externalAuths/auth-with-oauth2',
    body: { provider: 'oidc', code: 'abc' },
    expectStatus: 404,
    expectBody: { message: 'Missing or invalid auth collection context.' },
  },
  {
    name: 'the token endpoint is unreachable → 400, never 5xx',
    method: 'POST',
    url: oauthUrl,
    before: async (t) => {
      const closed = `http://127.0.0.1:${await freePort()}`;
      await people(t, {
        oauth2: { enabled: true, providers: [mock().provider('oidc', { tokenURL: `${closed}/token` })] },
      });
    },
    body: { provider: 'oidc', code: 'abc', codeVerifier: 'v', redirectURL: REDIRECT_URL },
    expectStatus: 400,
    expectBody: { message: 'Failed to fetch OAuth2 token.' },
  },
  {
    name: 'the user-info endpoint refuses the token → 400 Failed to fetch OAuth2 user.',
    method: 'POST',
    url: oauthUrl,
    before: async (t) => {
      await people(t, {
        oauth2: { enabled: true, providers: [mock().provider('oidc', { userInfoURL: `${mock().url}/nope` })] },
      });
      await authorize(t, oidcProfile(t));
    },
    body: oauthBody(),
    expectStatus: 400,
    expectBody: { message: 'Failed to fetch OAuth2 user.' },
  },
  {
    name: 'the client secret is never output by the collections API',
    method: 'GET',
    url: (t) => `/api/collections/${t.col('people')}`,
    auth: 'superuser',
    before: people,
    expectStatus: 200,
    expectBody: { oauth2: { enabled: true, providers: [{ name: 'oidc', clientId: not('') }] } },
    expectNotContains: [CLIENT_SECRET, 'clientSecret'],
  },
]);

runScenarios('auth-with-oauth2: GitHub preset mapping and legacy redirectUrl', [
  {
    name: 'GitHub user info (numeric id, login, avatar_url) maps; its profile email is not trusted (no /user/emails here)',
    method: 'POST',
    url: oauthUrl,
    before: async (t) => {
      await people(t, {
        oauth2: { enabled: true, mappedFields: { username: 'username' }, providers: [mock().provider('github')] },
      });
      await authorize(t, {
        id: 4242,
        login: `octo_${t.suffix}`,
        name: 'The Octocat',
        email: `octo_${t.suffix}@example.com`,
        avatar_url: 'https://avatars.example.com/u/4242',
      });
    },
    body: (t) => ({
      provider: 'github',
      code: t.vars.code,
      codeVerifier: t.vars.verifier,
      redirectUrl: REDIRECT_URL,
      createData: { email: `own_${t.suffix}@example.com` },
    }),
    expectStatus: 200,
    expectBody: (t) => ({
      record: { username: `octo_${t.suffix}`, email: `own_${t.suffix}@example.com`, verified: false },
      meta: {
        id: '4242',
        email: '',
        username: `octo_${t.suffix}`,
        name: 'The Octocat',
        avatarURL: 'https://avatars.example.com/u/4242',
        isNew: true,
      },
    }),
    after: async (t, res) => {
      assert.equal(mock().lastTokenRequest.redirect_uri, REDIRECT_URL);
      const id = res.json<{ record: { id: string } }>().record.id;
      assert.deepEqual(
        (await links(t, id)).map((l) => [l.provider, l.providerId]),
        [['github', '4242']],
      );
    },
  },
]);

runScenarios('GET /api/collections/meta/oauth2-providers', [
  {
    name: 'superuser: the built-in providers',
    method: 'GET',
    url: '/api/collections/meta/oauth2-providers',
    auth: 'superuser',
    expectStatus: 200,
    expectBody: arrayContaining([
      { name: 'apple', displayName: 'Apple', logo: not('') },
      { name: 'oidc', displayName: 'OpenID Connect', logo: not('') },
      { name: 'github', displayName: 'GitHub', authURL: 'https://github.com/login/oauth/authorize' },
      { name: 'google', displayName: 'Google', tokenURL: 'https://oauth2.googleapis.com/token' },
    ]),
  },
  { name: 'guest → 401', method: 'GET', url: '/api/collections/meta/oauth2-providers', expectStatus: 401 },
  {
    name: 'a regular user → 403',
    method: 'GET',
    url: '/api/collections/meta/oauth2-providers',
    before: async (t) => t.auth(await t.makeUser()),
    expectStatus: 403,
  },
  {
    name: 'fields applies',
    method: 'GET',
    url: '/api/collections/meta/oauth2-providers?fields=name',
    auth: 'superuser',
    expectStatus: 200,
    expectBody: arrayContaining([
      { name: 'apple', displayName: absent() },
      { name: 'oidc3', logo: absent() },
    ]),
  },
]);

const html = { 'content-type': 'text/html' };
runScenarios('GET/POST /api/oauth2-redirect (until realtime exists)', [
  {
    name: 'no state → 400 HTML page',
    method: 'GET',
    url: '/api/oauth2-redirect?code=abc',
    expectStatus: 400,
    expectContains: ['OAuth2 authentication failed', 'state'],
    after: async (_t, res) => assert.match(res.headers.get('content-type') ?? '', new RegExp(html['content-type'])),
  },
  {
    name: 'provider error → 400 naming it, escaped',
    method: 'GET',
    url: `/api/oauth2-redirect?state=abc&error=access_denied&error_description=${encodeURIComponent('<b>no</b>')}`,
    expectStatus: 400,
    expectContains: ['access_denied', '&#60;b&#62;no'],
    expectNotContains: ['<b>no</b>'],
  },
  {
    name: 'no code → 400',
    method: 'GET',
    url: '/api/oauth2-redirect?state=abc',
    expectStatus: 400,
    expectContains: ['code'],
  },
  {
    name: 'state + code but no waiting realtime client → 400 failure page',
    method: 'GET',
    url: '/api/oauth2-redirect?state=unknownclient&code=abc',
    expectStatus: 400,
    expectContains: ['No realtime client is waiting'],
  },
  {
    name: 'POST form (Apple form_post) is validated the same way',
    method: 'POST',
    url: '/api/oauth2-redirect',
    body: new URLSearchParams({ state: 'unknownclient', code: 'abc', user: '{}' }),
    expectStatus: 400,
    expectContains: ['No realtime client is waiting'],
  },
]);
