import type { OAuth2ProviderConfig } from './oauth2-user';

/**
 * What `e.providerClient` of `onRecordAuthWithOAuth2Request` shows of the provider (PocketBase's `auth.Provider`):
 * its settings through its getters (`displayName()`, `clientId()`, `authURL()`, `scopes()`, `pkce()` …), read only —
 * the code exchange and the user fetch are done by then.
 */
export function providerClient(config: OAuth2ProviderConfig, redirectURL: string) {
  return {
    displayName: () => config.displayName,
    clientId: () => config.clientId,
    clientSecret: () => config.clientSecret,
    redirectURL: () => redirectURL,
    authURL: () => config.authURL,
    tokenURL: () => config.tokenURL,
    userInfoURL: () => config.userInfoURL,
    scopes: () => [...config.scopes],
    pkce: () => config.pkce,
    extra: () => ({ ...config.extra }),
  };
}
