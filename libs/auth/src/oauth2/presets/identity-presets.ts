import { idTokenOf, trustedIdTokenClaims } from '../oauth2-id-token';
import { badge, mapOidcClaims, str, truthy, type OAuth2Preset, type Raw, type UserInfoContext } from '../oauth2-preset';

/** Apple: no user info endpoint; the user is the verified id_token (its name comes from the redirect, once). */
const apple: OAuth2Preset = {
  name: 'apple',
  displayName: 'Apple',
  order: 1,
  authURL: 'https://appleid.apple.com/auth/authorize',
  tokenURL: 'https://appleid.apple.com/auth/token',
  userInfoURL: '',
  pkce: true,
  scopes: ['name', 'email'],
  logo: badge('#000000', 'A'),
  // The name and email scopes make Apple answer with a POST form to the redirect URL.
  authParams: { response_mode: 'form_post' },
  idToken: {
    when: 'always',
    issuer: 'https://appleid.apple.com',
    jwksURL: 'https://appleid.apple.com/auth/keys',
    requireExp: true,
  },
  mapUser: (raw) => ({
    id: str(raw.sub),
    name: str(raw.name),
    username: '',
    email: truthy(raw.email_verified) ? str(raw.email) : '',
    avatarURL: '',
  }),
};

const google: OAuth2Preset = {
  name: 'google',
  displayName: 'Google',
  order: 2,
  authURL: 'https://accounts.google.com/o/oauth2/v2/auth',
  tokenURL: 'https://oauth2.googleapis.com/token',
  userInfoURL: 'https://www.googleapis.com/oauth2/v3/userinfo',
  pkce: true,
  scopes: ['https://www.googleapis.com/auth/userinfo.profile', 'https://www.googleapis.com/auth/userinfo.email'],
  logo: badge('#4285f4', 'G'),
  mapUser: (raw) => ({
    id: str(raw.sub),
    name: str(raw.name),
    username: '',
    email: raw.email_verified === true ? str(raw.email) : '',
    avatarURL: str(raw.picture),
  }),
};

/**
 * Microsoft's email: Graph's `mail` by default; with `extra.idTokenEmailClaim` it comes from the id_token
 * instead (`verified_primary_email`, `email_and_xms_edov`, `any_verified` = either, or plain `email`).
 */
function microsoftEmail(raw: Raw, ctx: UserInfoContext): string {
  const mode = str(ctx.config.extra.idTokenEmailClaim);
  if (!mode) {
    return str(raw.mail);
  }
  let claims: Raw;
  try {
    claims = trustedIdTokenClaims(idTokenOf(ctx.token), ctx.leewaySec);
  } catch {
    return '';
  }
  const primary = str(claims.verified_primary_email);
  const edov = truthy(claims.xms_edov) ? str(claims.email) : '';
  switch (mode) {
    case 'any_verified':
      return primary || edov;
    case 'verified_primary_email':
      return primary;
    case 'email_and_xms_edov':
      return edov;
    case 'email':
      return str(claims.email);
    default:
      return str(raw.mail);
  }
}

const microsoft: OAuth2Preset = {
  name: 'microsoft',
  displayName: 'Microsoft',
  order: 3,
  authURL: 'https://login.microsoftonline.com/common/oauth2/v2.0/authorize',
  tokenURL: 'https://login.microsoftonline.com/common/oauth2/v2.0/token',
  userInfoURL: 'https://graph.microsoft.com/v1.0/me',
  pkce: true,
  scopes: ['User.Read'],
  logo: badge('#00a4ef', 'M'),
  scopesFor: (extra) => (str(extra.idTokenEmailClaim) ? ['User.Read', 'openid'] : ['User.Read']),
  mapUser: (raw, ctx) => ({
    id: str(raw.id),
    name: str(raw.displayName),
    username: '',
    email: microsoftEmail(raw, ctx),
    avatarURL: '',
  }),
};

/**
 * Generic OpenID Connect: every URL from the collection's config. Without a user info URL the user is the
 * id_token (`extra.jwksURL` checks its signature, `extra.issuers` its issuer).
 */
const oidc = (name: string, displayName: string): OAuth2Preset => ({
  name,
  displayName,
  order: 99,
  authURL: '',
  tokenURL: '',
  userInfoURL: '',
  pkce: true,
  scopes: ['openid', 'email', 'profile'],
  logo: badge('#f78c40', 'ID'),
  idToken: { when: 'withoutUserInfoURL' },
  mapUser: mapOidcClaims,
});

export const IDENTITY_PRESETS: readonly OAuth2Preset[] = [
  apple,
  google,
  microsoft,
  oidc('oidc', 'OpenID Connect'),
  oidc('oidc2', 'OpenID Connect (2)'),
  oidc('oidc3', 'OpenID Connect (3)'),
];
