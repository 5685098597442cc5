import type { OAuth2ProviderConfig, OAuth2User } from './oauth2-user';

export type Raw = Record<string, unknown>;

/** The provider's user as a preset maps it (the client adds `rawUser`). */
export type MappedUser = Omit<OAuth2User, 'rawUser'>;

/** What a preset's mapping may look at besides the user info: the provider config and the token response. */
export interface UserInfoContext {
  config: OAuth2ProviderConfig;
  /** The token endpoint's whole JSON answer (`id_token`, VK's `email`, Instagram's `permissions`, …). */
  token: Raw;
  /** Clock skew allowed on id_token times, in seconds. */
  leewaySec: number;
}

/** A secondary email lookup (GitHub, Gitea, Bitbucket, Gitee): where, when, and which address counts. */
export interface EmailLookup {
  /** `always` replaces the mapped email (GitHub: only the verified primary one); `missing` fills an empty one. */
  when: 'always' | 'missing';
  url(config: OAuth2ProviderConfig): string;
  pick(body: unknown): string;
}

/**
 * A user read from the id_token. `issuer`/`jwksURL` are the provider's own (Apple); `extra.issuers` and
 * `extra.jwksURL` of the config add or replace them.
 */
export interface IdTokenSource {
  when: 'always' | 'withoutUserInfoURL';
  issuer?: string;
  jwksURL?: string;
  requireExp?: boolean;
}

/** A built-in provider: its public endpoints as defaults and how its user info maps to an OAuth2 user. */
export interface OAuth2Preset {
  name: string;
  displayName: string;
  /** Position in `meta/oauth2-providers` (PocketBase's order; OIDC last). */
  order: number;
  authURL: string;
  tokenURL: string;
  userInfoURL: string;
  pkce: boolean;
  scopes: string[];
  /** An inline SVG badge. */
  logo: string;
  /** More query parameters of the authorization URL (Apple: `response_mode=form_post`). */
  authParams?: Record<string, string>;
  /** The scopes after the provider's `extra` config (Microsoft adds `openid` for id_token email claims). */
  scopesFor?(extra: Raw): string[];
  /** How the client authenticates at the token endpoint: form fields (default) or HTTP Basic. */
  tokenAuth?: 'body' | 'basic';
  /** Where the user comes from: the id_token always (Apple), or when no user info URL is set (OIDC). */
  idToken?: IdTokenSource;
  /** The user info request is a POST with this JSON body (GraphQL: Linear, monday.com). */
  userInfoBody?: unknown;
  /** More headers of the user info request (Twitch `Client-Id`, Notion-Version, Trakt keys). */
  headers?(config: OAuth2ProviderConfig): Record<string, string>;
  emails?: EmailLookup;
  /** Maps the raw user; throws (e.g. an inactive account) to fail the sign-in with 400. */
  mapUser(raw: Raw, ctx: UserInfoContext): MappedUser;
}

export const isObj = (v: unknown): v is Raw => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A string field; numbers (numeric ids) as their decimal text. */
export const str = (value: unknown): string =>
  typeof value === 'string'
    ? value
    : typeof value === 'number' && Number.isFinite(value)
      ? String(value)
      : typeof value === 'bigint'
        ? value.toString()
        : '';

/** Loose truthiness of flags that providers send as booleans, strings or numbers (`"true"`, `1`). */
export const truthy = (value: unknown): boolean =>
  value === true || value === 1 || (typeof value === 'string' && ['true', '1', 't'].includes(value.toLowerCase()));

/** A nested object member (`{}` when absent or not an object). */
export const obj = (value: unknown): Raw => (isObj(value) ? value : {});

/** The first element of an array member, as an object. */
export const first = (value: unknown): Raw => (Array.isArray(value) ? obj(value[0]) : {});

/** A user the provider reports as not active: the sign-in fails. */
export class InactiveUserError extends Error {}

export function requireActive(active: boolean, provider: string): void {
  if (!active) {
    throw new InactiveUserError(`the ${provider} user account is not active`);
  }
}

/** OpenID Connect standard claims; the email only when `email_verified` is true (bool or string). */
export function mapOidcClaims(raw: Raw): MappedUser {
  return {
    id: str(raw.sub),
    name: str(raw.name),
    username: str(raw.preferred_username),
    email: truthy(raw.email_verified) ? str(raw.email) : '',
    avatarURL: str(raw.picture),
  };
}

/** The `verified && primary` address of a `[{email, verified, primary}]` list (GitHub, Gitea). */
export function verifiedPrimary(body: unknown): string {
  const list: unknown[] = Array.isArray(body) ? body : [];
  const hit = list.map(obj).find((e) => e.verified === true && e.primary === true);
  return hit ? str(hit.email) : '';
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
export const isEmail = (value: string): boolean => EMAIL.test(value);

/** A simple badge: the provider's initials on its brand colour. */
export function badge(color: string, letters: string, fg = '#fff'): string {
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32" width="32" height="32">` +
    `<rect width="32" height="32" rx="7" fill="${color}"/>` +
    `<text x="16" y="21" font-family="Arial,Helvetica,sans-serif" font-size="${letters.length > 1 ? 12 : 16}" ` +
    `font-weight="700" text-anchor="middle" fill="${fg}">${letters}</text></svg>`
  );
}
