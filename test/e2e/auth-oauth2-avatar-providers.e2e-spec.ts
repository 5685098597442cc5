// The avatar download for every provider preset whose profile carries the avatar URL as it is (the provider
// shapes of auth-oauth2-providers, with that URL pointing at the mock's image): the image lands in the file
// field mapped from avatarURL. Discord and Yandex build the URL on their own CDN host from an id (checked as text
// in auth-oauth2-providers); rows whose provider gives no avatar are left out. Like auth-oauth2-avatar, this file
// spawns its own server with the test/dev-only NB_OAUTH2_AVATAR_ALLOW_LOOPBACK (the mock serves from 127.0.0.1).
import assert from 'node:assert/strict';

import { file, matching, runScenarios, text, type Scenario, type ScenarioContext } from '@lib/testing';

import { mock, oauthUrl, people, REDIRECT_URL, useOAuth2Mock, type ProviderShape } from './support/oauth2-mock';
import { providerApi, useProviderApi } from './support/oauth2-provider-api';
import { IDENTITY_CASES, mailOf, type ProviderCase } from './support/oauth2-provider-cases';
import { SOCIAL_CASES } from './support/oauth2-provider-cases-social';
import { WORK_CASES } from './support/oauth2-provider-cases-work';

process.env.NB_OAUTH2_AVATAR_ALLOW_LOOPBACK = 'true';
delete process.env.NB_TEST_BASE_URL;

useOAuth2Mock();
useProviderApi();

/** `value` with every string equal to `from` replaced by `to`; `swapped.n` counts them. */
function swap(value: unknown, from: string, to: string, swapped: { n: number }): unknown {
  if (value === from) {
    swapped.n += 1;
    return to;
  }
  if (Array.isArray(value)) {
    return value.map((v) => swap(v, from, to, swapped));
  }
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, swap(v, from, to, swapped)]));
  }
  return value;
}

/** Providers that build the avatar URL from an id on their own CDN host: no mock URL can stand in for it. */
const BUILT_ON_CDN = new Set(['discord', 'yandex']);
const probe = { suffix: 'probe', vars: {} } as unknown as ScenarioContext;
const hasAvatar = (c: ProviderCase) => {
  try {
    return c.user(probe).avatarURL !== '';
  } catch {
    return true;
  }
};
const CASES = [...IDENTITY_CASES, ...SOCIAL_CASES, ...WORK_CASES].filter(
  (c) => !BUILT_ON_CDN.has(c.provider) && hasAvatar(c),
);

function avatarScenario(c: ProviderCase): Scenario {
  return {
    name: `${c.provider}${c.label ? ` (${c.label})` : ''}: the avatar is downloaded into the file field`,
    method: 'POST',
    url: oauthUrl,
    before: async (t) => {
      await people(t, {
        fields: [text('name'), text('username'), file('avatar', { maxSelect: 1 }), text('extId')],
        oauth2: {
          enabled: true,
          mappedFields: { id: 'extId', avatarURL: 'avatar' },
          providers: [mock().provider(c.provider, c.config?.(t) ?? {})],
        },
      });
      const swapped = { n: 0 };
      const shape = swap(c.shape(t), c.user(t).avatarURL, `${providerApi().url}/avatar.png`, swapped);
      assert.ok(swapped.n > 0, `${c.provider}: the avatar URL is not in the profile as it is`);
      mock().lastTokenHeaders = {};
      mock().lastUserinfoHeaders = {};
      const { code, codeVerifier } = await mock().authorizeShape(shape as ProviderShape);
      Object.assign(t.vars, { code, verifier: codeVerifier, hits: String(providerApi().avatarHits) });
    },
    body: (t) => ({
      provider: c.provider,
      code: t.vars.code,
      codeVerifier: t.vars.verifier,
      redirectURL: REDIRECT_URL,
      // Without a provider email the record needs one of its own (the email field is required).
      createData: c.user(t).email ? {} : { email: mailOf(t, 'created') },
    }),
    expectStatus: 200,
    expectBody: (t) => ({
      record: { avatar: matching(/^avatar_[a-z0-9]{10}\.png$/), extId: c.user(t).id },
      meta: { avatarURL: `${providerApi().url}/avatar.png`, isNew: true },
    }),
    after: async (t) => assert.equal(providerApi().avatarHits - Number(t.vars.hits), 1),
  };
}

runScenarios('auth-with-oauth2: the avatar of every provider into a file field', CASES.map(avatarScenario));
