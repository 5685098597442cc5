import type { OAuth2User } from './oauth2-user';

type Raw = Record<string, unknown>;

/** A built-in provider: public endpoints as defaults and how its user info maps to an OAuth2 user. */
export interface OAuth2Preset {
  name: string;
  displayName: string;
  authURL: string;
  tokenURL: string;
  userInfoURL: string;
  pkce: boolean;
  scopes: string[];
  logo: string;
  mapUser(raw: Raw): Omit<OAuth2User, 'rawUser'>;
}

const str = (value: unknown): string =>
  typeof value === 'string' ? value : typeof value === 'number' ? String(value) : '';

/** OpenID Connect standard claims; the email only when `email_verified` is true. */
function mapOidcUser(raw: Raw): Omit<OAuth2User, 'rawUser'> {
  const verified = raw.email_verified === true || raw.email_verified === 'true';
  return {
    id: str(raw.sub),
    name: str(raw.name),
    username: str(raw.preferred_username),
    email: verified ? str(raw.email) : '',
    avatarURL: str(raw.picture),
  };
}

/** GitHub's `/user`: the public email is verified by GitHub; a missing one is looked up in `/user/emails`. */
function mapGithubUser(raw: Raw): Omit<OAuth2User, 'rawUser'> {
  return {
    id: str(raw.id),
    name: str(raw.name),
    username: str(raw.login),
    email: str(raw.email),
    avatarURL: str(raw.avatar_url),
  };
}

const oidc = (name: string, displayName: string): OAuth2Preset => ({
  name,
  displayName,
  authURL: '',
  tokenURL: '',
  userInfoURL: '',
  pkce: true,
  scopes: ['openid', 'email', 'profile'],
  logo: 'oidc.svg',
  mapUser: mapOidcUser,
});

/** The providers nestbase knows. `oidc`, `oidc2`, `oidc3` take every URL from the collection's config. */
export const OAUTH2_PRESETS: readonly OAuth2Preset[] = [
  oidc('oidc', 'OpenID Connect'),
  oidc('oidc2', 'OpenID Connect (2)'),
  oidc('oidc3', 'OpenID Connect (3)'),
  {
    name: 'github',
    displayName: 'GitHub',
    authURL: 'https://github.com/login/oauth/authorize',
    tokenURL: 'https://github.com/login/oauth/access_token',
    userInfoURL: 'https://api.github.com/user',
    pkce: true,
    scopes: ['read:user', 'user:email'],
    logo: 'github.svg',
    mapUser: mapGithubUser,
  },
  {
    name: 'google',
    displayName: 'Google',
    authURL: 'https://accounts.google.com/o/oauth2/v2/auth',
    tokenURL: 'https://oauth2.googleapis.com/token',
    userInfoURL: 'https://www.googleapis.com/oauth2/v3/userinfo',
    pkce: true,
    scopes: ['https://www.googleapis.com/auth/userinfo.profile', 'https://www.googleapis.com/auth/userinfo.email'],
    logo: 'google.svg',
    mapUser: mapOidcUser,
  },
];

export function findPreset(name: string): OAuth2Preset | undefined {
  return OAUTH2_PRESETS.find((p) => p.name === name);
}
