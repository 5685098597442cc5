/** A built-in provider of `GET /api/collections/meta/oauth2-providers`. */
export interface OAuth2Preset {
  name: string;
  displayName: string;
  authURL: string;
  tokenURL: string;
  userInfoURL: string;
  pkce: boolean;
}

/** One entry of an auth collection's `oauth2.providers`, as the API takes it (`clientSecret` is never read back). */
export interface OAuth2ProviderEntry {
  name: string;
  clientId: string;
  clientSecret?: string;
  displayName?: string;
  authURL?: string;
  tokenURL?: string;
  userInfoURL?: string;
  pkce?: boolean | null;
  [key: string]: unknown;
}

export const URL_KEYS = [
  ['authURL', 'Auth URL'],
  ['tokenURL', 'Token URL'],
  ['userInfoURL', 'User info URL'],
] as const;

/**
 * Providers whose endpoints come only from the config (the OpenID Connect slots, mailcow): their URLs are
 * asked for. A preset without a user info URL but with its own auth and token URLs (Apple) reads the id_token.
 */
export function needsUrls(preset: OAuth2Preset | undefined): boolean {
  return !preset || !preset.authURL || !preset.tokenURL;
}

/** A new entry for `preset`, with PocketBase's defaults (empty overrides, the preset's PKCE). */
export function newProvider(preset: OAuth2Preset): OAuth2ProviderEntry {
  return {
    name: preset.name,
    clientId: '',
    clientSecret: '',
    displayName: '',
    authURL: '',
    tokenURL: '',
    userInfoURL: '',
    pkce: preset.pkce,
  };
}

/** The presets not configured yet, in the server's order. */
export function addablePresets(presets: readonly OAuth2Preset[], entries: readonly { name: string }[]): OAuth2Preset[] {
  return presets.filter((p) => !entries.some((e) => e.name === p.name));
}

/** Sets the secret typed by the user; blank on a saved provider means "keep the stored one" (the key is left out). */
export function setSecret(entry: OAuth2ProviderEntry, typed: string, saved: boolean): void {
  if (typed === '' && saved) {
    delete entry.clientSecret;
  } else {
    entry.clientSecret = typed;
  }
}

/** The `extra` settings the server reads, per provider (PocketBase's names): [key, label]. */
const KNOWN_EXTRA: Record<string, [string, string][]> = {
  oidc: [
    ['jwksURL', 'JWKS URL (id_token signature)'],
    ['issuers', 'Issuers (id_token, space separated)'],
  ],
  apple: [
    ['jwksURL', 'JWKS URL (override)'],
    ['issuers', 'Issuers (override, space separated)'],
  ],
  microsoft: [['idTokenEmailClaim', 'Email from this id_token claim']],
};

/** The extra settings to show for an entry: those its provider reads, then any other key it already has. */
export function extraKeys(entry: OAuth2ProviderEntry): [string, string][] {
  const known = KNOWN_EXTRA[/^oidc\d*$/.test(entry.name) ? 'oidc' : entry.name] ?? [];
  const extra = isRecord(entry.extra) ? entry.extra : {};
  const others = Object.keys(extra)
    .filter((key) => !known.some(([k]) => k === key))
    .map((key): [string, string] => [key, `extra: ${key}`]);
  return [...known, ...others];
}

/** An extra setting as text (a list of issuers space separated). */
export function extraValue(entry: OAuth2ProviderEntry, key: string): string {
  const value = isRecord(entry.extra) ? entry.extra[key] : undefined;
  if (Array.isArray(value)) {
    return value.map(String).join(' ');
  }
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' ? String(value) : '';
}

/** Sets an extra setting from its input; blank removes it (and `extra` itself once empty). */
export function setExtra(entry: OAuth2ProviderEntry, key: string, typed: string): void {
  const extra = { ...(isRecord(entry.extra) ? entry.extra : {}) };
  if (typed.trim() === '') {
    delete extra[key];
  } else {
    extra[key] = typed.trim();
  }
  entry.extra = extra;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
