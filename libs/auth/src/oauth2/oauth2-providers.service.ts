import { Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { randomString } from '@lib/core';
import type { CollectionModel } from '@lib/schema';
import { usesIdToken } from './oauth2-client.service';
import { findPreset, OAUTH2_PRESETS } from './oauth2-presets';
import type { OAuth2ProviderConfig } from './oauth2-user';

const ALNUM = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

/** One provider entry of `GET /api/collections/{c}/auth-methods` (reference §2.2). */
export interface AuthMethodsProvider {
  name: string;
  displayName: string;
  state: string;
  authURL: string;
  /** legacy name of authURL */
  authUrl: string;
  codeVerifier: string;
  codeChallenge: string;
  codeChallengeMethod: string;
  logo: string;
}

export interface OAuth2Options {
  enabled: boolean;
  mappedFields: Record<string, string>;
  providers: Record<string, unknown>[];
}

const text = (value: unknown): string => (typeof value === 'string' ? value : '');

/** The OAuth2 providers of an auth collection: config merged with the built-in presets. */
@Injectable()
export class OAuth2ProvidersService {
  options(collection: CollectionModel): OAuth2Options {
    const raw = (collection.oauth2 ?? {}) as Partial<OAuth2Options>;
    return {
      enabled: raw.enabled === true && collection.name !== '_superusers',
      mappedFields: raw.mappedFields ?? {},
      providers: Array.isArray(raw.providers) ? raw.providers : [],
    };
  }

  /** The named, usable provider of the collection, or null (unknown, disabled or incomplete). */
  resolve(collection: CollectionModel, name: string): OAuth2ProviderConfig | null {
    const entry = this.options(collection).providers.find((p) => p.name === name);
    const preset = findPreset(name);
    if (!entry || !preset || entry.enabled === false) {
      return null;
    }
    const extra =
      typeof entry.extra === 'object' && entry.extra !== null ? (entry.extra as Record<string, unknown>) : {};
    const config: OAuth2ProviderConfig = {
      name,
      displayName: text(entry.displayName) || preset.displayName,
      clientId: text(entry.clientId),
      clientSecret: text(entry.clientSecret),
      authURL: text(entry.authURL) || preset.authURL,
      tokenURL: text(entry.tokenURL) || preset.tokenURL,
      userInfoURL: text(entry.userInfoURL) || preset.userInfoURL,
      pkce: typeof entry.pkce === 'boolean' ? entry.pkce : preset.pkce,
      scopes: preset.scopesFor?.(extra) ?? preset.scopes,
      logo: preset.logo,
      extra,
    };
    // Apple and an OIDC provider without a user info URL read the user from the id_token.
    const hasUserSource = config.userInfoURL !== '' || usesIdToken(preset, config.userInfoURL);
    return config.clientId && config.authURL && config.tokenURL && hasUserSource ? config : null;
  }

  /**
   * The provider entries of `auth-methods`: fresh state and PKCE pair each time; `authURL` ends with
   * `&redirect_uri=` so the client appends its redirect URL. Empty when OAuth2 is disabled.
   */
  list(collection: CollectionModel): AuthMethodsProvider[] {
    const options = this.options(collection);
    if (!options.enabled) {
      return [];
    }
    const out: AuthMethodsProvider[] = [];
    for (const entry of options.providers) {
      const provider = this.resolve(collection, text(entry.name));
      if (provider) {
        out.push(this.entry(provider));
      }
    }
    return out;
  }

  /**
   * The built-in providers (`GET /api/collections/meta/oauth2-providers`): PocketBase's `name`, `displayName`
   * and `logo` (an inline SVG), in its order; the default endpoints and PKCE are extra (the dashboard's hints).
   */
  builtIns() {
    return OAUTH2_PRESETS.map((p) => ({
      name: p.name,
      displayName: p.displayName,
      logo: p.logo,
      authURL: p.authURL,
      tokenURL: p.tokenURL,
      userInfoURL: p.userInfoURL,
      pkce: p.pkce,
    }));
  }

  private entry(provider: OAuth2ProviderConfig): AuthMethodsProvider {
    const state = randomString(30, ALNUM);
    const codeVerifier = provider.pkce ? randomString(43, ALNUM) : '';
    const codeChallenge = provider.pkce ? createHash('sha256').update(codeVerifier).digest('base64url') : '';
    const params = new URLSearchParams({
      client_id: provider.clientId,
      response_type: 'code',
      scope: provider.scopes.join(' '),
      state,
      ...findPreset(provider.name)?.authParams,
    });
    if (provider.scopes.length === 0) {
      params.delete('scope'); // LiveChat, Notion, Lark, Trakt: the scopes are set at the provider
    }
    if (provider.pkce) {
      params.set('code_challenge', codeChallenge);
      params.set('code_challenge_method', 'S256');
    }
    const separator = provider.authURL.includes('?') ? '&' : '?';
    const authURL = `${provider.authURL}${separator}${params.toString()}&redirect_uri=`;
    return {
      name: provider.name,
      displayName: provider.displayName,
      state,
      authURL,
      authUrl: authURL,
      codeVerifier,
      codeChallenge,
      codeChallengeMethod: provider.pkce ? 'S256' : '',
      logo: provider.logo,
    };
  }
}
