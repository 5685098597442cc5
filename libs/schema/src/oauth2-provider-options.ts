import type { FieldError } from '@lib/core';

/** Every built-in OAuth2 provider name (PocketBase's set); libs/auth holds their presets and checks this list. */
export const OAUTH2_PROVIDER_NAMES: readonly string[] = [
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

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const REQUIRED: FieldError = { code: 'validation_required', message: 'Cannot be blank.' };

function isUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '';
  } catch {
    return false;
  }
}

/** One provider entry: a known name, a client id and secret, well-formed URLs (PocketBase's OAuth2ProviderConfig). */
function providerErrors(entry: unknown, seen: Set<string>): Obj {
  if (!isObj(entry)) {
    return { name: REQUIRED };
  }
  const errors: Obj = {};
  const name = typeof entry.name === 'string' ? entry.name : '';
  if (!name) {
    errors.name = REQUIRED;
  } else if (!OAUTH2_PROVIDER_NAMES.includes(name)) {
    errors.name = {
      code: 'validation_missing_provider',
      message: `Invalid or missing provider with name ${name}.`,
      params: { name },
    } satisfies FieldError;
  } else if (seen.has(name)) {
    errors.name = {
      code: 'validation_duplicated_provider',
      message: `The provider ${name} is already registered.`,
      params: { name },
    } satisfies FieldError;
  }
  seen.add(name);
  for (const key of ['clientId', 'clientSecret']) {
    if (typeof entry[key] !== 'string' || entry[key] === '') {
      errors[key] = REQUIRED;
    }
  }
  for (const key of ['authURL', 'tokenURL', 'userInfoURL']) {
    const value = entry[key];
    if (value !== undefined && value !== null && value !== '' && (typeof value !== 'string' || !isUrl(value))) {
      errors[key] = { code: 'validation_is_url', message: 'Must be a valid URL.' } satisfies FieldError;
    }
  }
  return errors;
}

/**
 * When OAuth2 is enabled, each `oauth2.providers` entry is checked as PocketBase does; the errors land at
 * `oauth2.providers.<index>.<key>`.
 */
export function checkOAuth2Providers(oauth2: unknown, errors: Obj): void {
  if (!isObj(oauth2) || oauth2.enabled !== true || oauth2.providers === undefined) {
    return;
  }
  if (!Array.isArray(oauth2.providers)) {
    errors.oauth2 = { providers: { code: 'validation_invalid_value', message: 'Must be a list.' } };
    return;
  }
  const seen = new Set<string>();
  const items: Obj = {};
  oauth2.providers.forEach((entry, i) => {
    const found = providerErrors(entry, seen);
    if (Object.keys(found).length > 0) {
      items[String(i)] = found;
    }
  });
  if (Object.keys(items).length > 0) {
    errors.oauth2 = { providers: items };
  }
}
