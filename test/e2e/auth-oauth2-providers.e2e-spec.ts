// Every OAuth2 provider preset against oauth2-mock-server answering in that provider's own shape (token
// response, user info, id_token, email lists), checked against PocketBase's mapping: the created record's
// mapped fields and the auth response's meta. Then the refusals, the list in meta/oauth2-providers, and the
// avatar download being refused by default.
import assert from 'node:assert/strict';

import {
  any,
  file,
  matching,
  runScenarios,
  text,
  type Expected,
  type Scenario,
  type ScenarioContext,
} from '@lib/testing';

import { mock, oauthUrl, people, REDIRECT_URL, useOAuth2Mock, type ProviderShape } from './support/oauth2-mock';
import { providerApi, useProviderApi } from './support/oauth2-provider-api';
import { IDENTITY_CASES, mailOf, type ProviderCase } from './support/oauth2-provider-cases';
import { SOCIAL_CASES } from './support/oauth2-provider-cases-social';
import { WORK_CASES } from './support/oauth2-provider-cases-work';

useOAuth2Mock();
useProviderApi();

const CASES: ProviderCase[] = [...IDENTITY_CASES, ...SOCIAL_CASES, ...WORK_CASES];

/** `people` with OAuth2 on and only `provider` configured (the mock's URLs unless overridden). */
async function signInWith(
  t: ScenarioContext,
  provider: string,
  config: Record<string, unknown>,
  shape: ProviderShape,
  fields?: unknown[],
) {
  await people(t, {
    ...(fields ? { fields } : {}),
    oauth2: {
      enabled: true,
      mappedFields: { id: 'extId', name: 'name', username: 'username', avatarURL: fields ? 'avatar' : 'avatarUrl' },
      providers: [mock().provider(provider, config)],
    },
  });
  mock().lastTokenHeaders = {};
  mock().lastUserinfoHeaders = {};
  const { code, codeVerifier } = await mock().authorizeShape(shape);
  t.vars.code = code;
  t.vars.verifier = codeVerifier;
  t.vars.provider = provider;
}

const body =
  (createData: Record<string, unknown> = {}) =>
  (t: ScenarioContext) => ({
    provider: t.vars.provider,
    code: t.vars.code,
    codeVerifier: t.vars.verifier,
    redirectURL: REDIRECT_URL,
    createData,
  });

function providerScenario(c: ProviderCase): Scenario {
  return {
    name: `${c.provider}${c.label ? `: ${c.label}` : ''}`,
    method: 'POST',
    url: oauthUrl,
    before: (t) => signInWith(t, c.provider, c.config?.(t) ?? {}, c.shape(t)),
    // Without a provider email the record needs one of its own (the email field is required).
    body: (t) => body(c.user(t).email ? {} : { email: mailOf(t, 'created') })(t),
    expectStatus: 200,
    expectBody: (t) => {
      const user = c.user(t);
      return {
        token: any(String),
        record: {
          extId: user.id,
          name: user.name,
          username: user.username,
          avatarUrl: user.avatarURL,
          email: user.email || mailOf(t, 'created'),
          verified: user.email !== '',
        },
        meta: {
          ...user,
          accessToken: matching(/^at_[0-9a-f]{24}$/),
          refreshToken: matching(/^[0-9a-f-]{36}$/),
          expiry: matching(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3}Z$/),
          // The provider's user as it answered (id_token claims for Apple and id_token-only OIDC).
          rawUser: (c.rawUser?.(t) ?? c.shape(t).userinfo) as Expected,
          isNew: true,
          ...c.meta,
        },
      };
    },
    after: async (t) => {
      await c.check?.(t);
    },
  };
}

runScenarios('auth-with-oauth2: every provider in its own shape', CASES.map(providerScenario));

const FAILED_USER = { status: 400, message: 'Failed to fetch OAuth2 user.', data: {} };
const now = () => Math.floor(Date.now() / 1000);
const idTokenOnly = (extra: Record<string, unknown> = {}) => ({
  userInfoURL: '',
  extra: { jwksURL: `${mock().url}/jwks`, ...extra },
});

/** A sign-in the provider (or its id_token) must make fail: 400 and no record. */
function refused(
  name: string,
  provider: string,
  config: () => Record<string, unknown>,
  shape: ProviderShape,
): Scenario {
  return {
    name,
    method: 'POST',
    url: oauthUrl,
    before: (t) => signInWith(t, provider, config(), shape),
    body: body({ email: 'nobody@example.com' }),
    expectStatus: 400,
    expectBody: FAILED_USER,
    after: async (t) => assert.equal(await t.countRecords('people'), 0),
  };
}

const claims = { sub: 'someone', email: 'someone@example.com', email_verified: true };
runScenarios('auth-with-oauth2: what a provider refuses, and forged or foreign id_tokens', [
  refused(
    'id_token signed by another key (JWKS mismatch)',
    'oidc',
    () => idTokenOnly({ jwksURL: `${providerApi().url}/jwks-impostor` }),
    { userinfo: {}, idToken: claims },
  ),
  refused('id_token for another client (aud)', 'oidc', () => idTokenOnly(), {
    userinfo: {},
    idToken: { ...claims, aud: 'another-client' },
  }),
  refused(
    'id_token from an issuer not listed in extra.issuers',
    'oidc',
    () => idTokenOnly({ issuers: ['https://issuer.example'] }),
    { userinfo: {}, idToken: claims },
  ),
  refused('expired id_token (past the 5 min leeway)', 'oidc', () => idTokenOnly(), {
    userinfo: {},
    idToken: { ...claims, exp: now() - 3600, iat: now() - 7200 },
  }),
  refused('apple: an id_token not issued by Apple', 'apple', () => idTokenOnly(), { userinfo: {}, idToken: claims }),
  refused('apple: no id_token in the token response', 'apple', () => idTokenOnly(), {
    userinfo: {},
    token: { id_token: null },
  }),
  refused('gitea: inactive account', 'gitea', () => ({}), { userinfo: { id: 1, login: 'x', active: false } }),
  refused('bitbucket: account not active', 'bitbucket', () => ({}), {
    userinfo: { uuid: '{x}', account_status: 'closed' },
  }),
  refused('box: account not active', 'box', () => ({}), { userinfo: { id: '1', login: 'a@b.cd', status: 'inactive' } }),
  refused('mailcow: inactive mailbox', 'mailcow', () => ({}), { userinfo: { id: '1', username: 'a', active: 0 } }),
  refused('linear: inactive account', 'linear', () => ({ userInfoURL: `${providerApi().url}/graphql` }), {
    userinfo: { data: { viewer: { id: '1', active: false } } },
  }),
  refused('monday: disabled account', 'monday', () => ({ userInfoURL: `${providerApi().url}/graphql` }), {
    userinfo: { data: { me: { id: '1', enabled: false } } },
  }),
  refused('planningcenter: inactive person', 'planningcenter', () => ({}), {
    userinfo: { data: { id: '1', attributes: { status: 'inactive' } } },
  }),
  refused('twitch: empty data', 'twitch', () => ({}), { userinfo: { data: [] } }),
  refused('vk: empty response', 'vk', () => ({}), { userinfo: { response: [] } }),
  refused('google: no sub', 'google', () => ({}), { userinfo: { email: 'a@b.cd', email_verified: true } }),
]);

runScenarios('auth-with-oauth2: Apple name from the redirect form', [
  {
    name: "the user's name Apple posts once with the redirect reaches the new record",
    method: 'POST',
    url: oauthUrl,
    before: async (t) => {
      await signInWith(t, 'apple', idTokenOnly(), {
        userinfo: {},
        idToken: {
          iss: 'https://appleid.apple.com',
          sub: `a.${t.suffix}`,
          email: mailOf(t, 'apple'),
          email_verified: true,
        },
      });
      // Apple's form_post to the redirect URL: no realtime client waits here, the name is kept anyway.
      const form = new URLSearchParams({
        state: 'no-such-client',
        code: String(t.vars.code),
        user: JSON.stringify({ name: { firstName: 'Tim', lastName: 'Apple' }, email: mailOf(t, 'apple') }),
      });
      await t.request('POST', '/api/oauth2-redirect', { body: form });
    },
    body: body(),
    expectStatus: 200,
    expectBody: (t) => ({ record: { name: 'Tim Apple', extId: `a.${t.suffix}` }, meta: { name: 'Tim Apple' } }),
  },
]);

runScenarios('auth-with-oauth2: avatar into a file field, refused from private addresses by default', [
  {
    name: 'avatar at 127.0.0.1: not downloaded (loopback refused), the record is created without it',
    method: 'POST',
    url: oauthUrl,
    before: async (t) => {
      t.vars.hits = String(providerApi().avatarHits);
      const fields = [text('name'), text('username'), file('avatar', { maxSelect: 1 }), text('extId')];
      const userinfo = {
        sub: `av-${t.suffix}`,
        picture: `${providerApi().url}/avatar.png`,
        email: mailOf(t, 'av'),
        email_verified: true,
      };
      await signInWith(t, 'oidc', {}, { userinfo }, fields);
    },
    body: body(),
    expectStatus: 200,
    expectBody: (t) => ({
      record: { avatar: '', extId: `av-${t.suffix}` },
      meta: { avatarURL: `${providerApi().url}/avatar.png` },
    }),
    after: async (t) => assert.equal(String(providerApi().avatarHits), t.vars.hits, 'no connection was made'),
  },
]);

/** PocketBase's providers, in the order its meta endpoint lists them. */
const POCKETBASE_PROVIDERS = [
  'apple',
  'google',
  'microsoft',
  'yandex',
  'facebook',
  'instagram2',
  'github',
  'gitlab',
  'bitbucket',
  'gitee',
  'gitea',
  'discord',
  'twitter',
  'kakao',
  'vk',
  'linear',
  'notion',
  'monday',
  'lark',
  'box',
  'spotify',
  'trakt',
  'twitch',
  'patreon',
  'strava',
  'wakatime',
  'livechat',
  'mailcow',
  'planningcenter',
  'oidc',
  'oidc2',
  'oidc3',
];

runScenarios('GET /api/collections/meta/oauth2-providers: every preset', [
  {
    name: "PocketBase's providers in its order, each with a display name and an SVG logo; each has a row above",
    method: 'GET',
    url: '/api/collections/meta/oauth2-providers',
    auth: 'superuser',
    expectStatus: 200,
    expectBody: POCKETBASE_PROVIDERS.map((name) => ({ name, displayName: matching(/\S/), logo: matching(/^<svg /) })),
    after: async (_t, res) => {
      assert.equal(res.json<unknown[]>().length, POCKETBASE_PROVIDERS.length);
      assert.deepEqual([...new Set(CASES.map((c) => c.provider))].sort(), [...POCKETBASE_PROVIDERS].sort());
    },
  },
]);

runScenarios('auth-methods: provider-specific authorization URLs', [
  {
    name: 'Apple asks for form_post; Notion sends no scope; Microsoft adds openid for id_token email claims',
    method: 'GET',
    url: (t) => `/api/collections/${t.col('people')}/auth-methods`,
    before: async (t) => {
      const entry = (name: string, extra: Record<string, unknown> = {}) =>
        mock().provider(name, { userInfoURL: '', extra });
      await people(t, {
        oauth2: {
          enabled: true,
          providers: [entry('apple'), entry('notion', {}), entry('microsoft', { idTokenEmailClaim: 'email' })],
        },
      });
    },
    expectStatus: 200,
    after: async (_t, res) => {
      const list = res.json<{ oauth2: { providers: { name: string; authURL: string }[] } }>().oauth2.providers;
      const query = (name: string) => new URL(list.find((p) => p.name === name)!.authURL).searchParams;
      assert.equal(query('apple').get('response_mode'), 'form_post');
      assert.equal(query('apple').get('scope'), 'name email');
      assert.equal(query('notion').get('scope'), null);
      assert.equal(query('microsoft').get('scope'), 'User.Read openid');
    },
  },
]);
