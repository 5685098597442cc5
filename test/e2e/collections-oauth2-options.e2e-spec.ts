// Saving an auth collection's `oauth2.providers` (PocketBase's OAuth2ProviderConfig checks, when OAuth2 is on).
import { runScenarios, type ScenarioContext } from '@lib/testing';

const entry = (over: Record<string, unknown> = {}) => ({
  name: 'github',
  clientId: 'id',
  clientSecret: 'secret',
  ...over,
});
const collection =
  (enabled: boolean, providers: unknown, key = 'people') =>
  (t: ScenarioContext) => ({
    name: t.col(key),
    type: 'auth',
    oauth2: { enabled, providers },
  });
const URL = '/api/collections';

runScenarios('POST /api/collections: oauth2 provider entries', [
  {
    name: 'every preset name is accepted',
    method: 'POST',
    url: URL,
    auth: 'superuser',
    body: collection(true, [entry({ name: 'apple' }), entry({ name: 'planningcenter' }), entry({ name: 'oidc3' })]),
    expectStatus: 200,
    expectBody: {
      oauth2: { enabled: true, providers: [{ name: 'apple' }, { name: 'planningcenter' }, { name: 'oidc3' }] },
    },
  },
  {
    name: 'unknown name, missing client id and secret, a bad URL, a duplicate → field errors by index',
    method: 'POST',
    url: URL,
    auth: 'superuser',
    body: collection(true, [
      entry({ name: 'myspace' }),
      entry({ clientId: '', clientSecret: undefined }),
      entry({ name: 'oidc', authURL: 'not a url' }),
      entry({ name: 'oidc' }),
    ]),
    expectStatus: 400,
    expectBody: {
      data: {
        oauth2: {
          providers: {
            '0': { name: { code: 'validation_missing_provider' } },
            '1': { clientId: { code: 'validation_required' }, clientSecret: { code: 'validation_required' } },
            '2': { authURL: { code: 'validation_is_url' } },
            '3': { name: { code: 'validation_duplicated_provider' } },
          },
        },
      },
    },
  },
  {
    name: 'providers that is not a list → 400',
    method: 'POST',
    url: URL,
    auth: 'superuser',
    body: collection(true, { github: {} }),
    expectStatus: 400,
    expectBody: { data: { oauth2: { providers: { code: 'validation_invalid_value' } } } },
  },
  {
    name: 'OAuth2 off: the entries are kept unchecked, as PocketBase does',
    method: 'POST',
    url: URL,
    auth: 'superuser',
    body: collection(false, [entry({ name: 'myspace' })], 'people_off'),
    expectStatus: 200,
    expectBody: { oauth2: { enabled: false, providers: [{ name: 'myspace' }] } },
  },
]);
