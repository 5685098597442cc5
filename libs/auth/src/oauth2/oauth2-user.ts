/** One `oauth2.providers[]` entry of an auth collection, merged with its preset's defaults. */
export interface OAuth2ProviderConfig {
  name: string;
  displayName: string;
  clientId: string;
  clientSecret: string;
  authURL: string;
  tokenURL: string;
  userInfoURL: string;
  pkce: boolean;
  scopes: string[];
  logo: string;
  extra: Record<string, unknown>;
}

/** The tokens of a code exchange. */
export interface OAuth2Tokens {
  accessToken: string;
  refreshToken: string;
  /** The access token's expiry as a PocketBase date string, or "" when the provider gave none. */
  expiry: string;
  /** The token endpoint's whole JSON answer (id_token and provider extras). */
  raw: Record<string, unknown>;
}

/** The provider's user, mapped to PocketBase's OAuth2 user fields. */
export interface OAuth2User {
  id: string;
  name: string;
  username: string;
  /** Only a verified email: "" when the provider did not vouch for it. */
  email: string;
  avatarURL: string;
  rawUser: Record<string, unknown>;
}
