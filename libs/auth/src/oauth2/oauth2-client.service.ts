import { Inject, Injectable, Logger } from '@nestjs/common';
import { AppConfig, BadRequestError, formatDate } from '@lib/core';
import { idTokenOf, verifyIdToken } from './oauth2-id-token';
import { isObj, str, type OAuth2Preset, type Raw, type UserInfoContext } from './oauth2-preset';
import { findPreset } from './oauth2-presets';
import type { OAuth2ProviderConfig, OAuth2Tokens, OAuth2User } from './oauth2-user';

const TOKEN_TIMEOUT_MS = 30_000;
const USER_TIMEOUT_MS = 30_000;
const USER_FAILURE = 'Failed to fetch OAuth2 user.';

type TokenAuth = NonNullable<OAuth2Preset['tokenAuth']>;

/** `extra.issuers` as a list (an array, or one space-separated string). */
const issuersOf = (value: unknown): string[] =>
  Array.isArray(value) ? value.map(str).filter(Boolean) : str(value).split(/\s+/).filter(Boolean);

/** True when the preset reads its user from the id_token for this config. */
export function usesIdToken(preset: OAuth2Preset, userInfoURL: string): boolean {
  return preset.idToken?.when === 'always' || (preset.idToken?.when === 'withoutUserInfoURL' && !userInfoURL);
}

/** Talks to the provider: the authorization-code exchange (with PKCE) and the user, mapped by its preset. */
@Injectable()
export class OAuth2ClientService {
  private readonly logger = new Logger('OAuth2');

  constructor(@Inject(AppConfig) private readonly config: AppConfig) {}

  /**
   * The authorization-code exchange. The client authenticates as Go's oauth2 package (PocketBase) does: HTTP
   * Basic first, and form fields when that is refused (PocketBase builds a new Go config per exchange, so it
   * probes every time; so does this). X/Twitter takes Basic only.
   */
  async exchange(
    provider: OAuth2ProviderConfig,
    code: string,
    codeVerifier: string,
    redirectURL: string,
  ): Promise<OAuth2Tokens> {
    const request = (style: TokenAuth) => this.requestToken(provider, style, code, codeVerifier, redirectURL);
    const fixed = findPreset(provider.name)?.tokenAuth;
    let body: Raw;
    if (fixed) {
      body = await request(fixed);
    } else {
      try {
        body = await request('basic');
      } catch {
        body = await request('body');
      }
    }
    const accessToken = typeof body.access_token === 'string' ? body.access_token : '';
    if (!accessToken) {
      this.logger.warn(`token exchange with ${provider.name} gave no access_token: ${str(body.error) || 'no error'}`);
      throw new BadRequestError('Failed to fetch OAuth2 token.');
    }
    const expiresIn = Number(body.expires_in);
    return {
      accessToken,
      refreshToken: typeof body.refresh_token === 'string' ? body.refresh_token : '',
      expiry: Number.isFinite(expiresIn) && expiresIn > 0 ? formatDate(new Date(Date.now() + expiresIn * 1000)) : '',
      raw: body,
    };
  }

  private requestToken(
    provider: OAuth2ProviderConfig,
    style: TokenAuth,
    code: string,
    codeVerifier: string,
    redirectURL: string,
  ): Promise<Raw> {
    const form = new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: redirectURL });
    const headers: Record<string, string> = {
      'content-type': 'application/x-www-form-urlencoded',
      accept: 'application/json',
    };
    if (style === 'basic') {
      const pair = `${encodeURIComponent(provider.clientId)}:${encodeURIComponent(provider.clientSecret)}`;
      headers.authorization = `Basic ${Buffer.from(pair).toString('base64')}`;
    } else {
      form.set('client_id', provider.clientId);
      form.set('client_secret', provider.clientSecret);
    }
    if (provider.pkce && codeVerifier) {
      form.set('code_verifier', codeVerifier);
    }
    return this.fetchObject(provider.tokenURL, TOKEN_TIMEOUT_MS, 'Failed to fetch OAuth2 token.', {
      method: 'POST',
      headers,
      body: form.toString(),
    });
  }

  /** The provider's user: its user info (or verified id_token), mapped; a failure of any step is a 400. */
  async fetchUser(provider: OAuth2ProviderConfig, tokens: OAuth2Tokens): Promise<OAuth2User> {
    const preset = findPreset(provider.name)!;
    const ctx: UserInfoContext = {
      config: provider,
      token: tokens.raw,
      leewaySec: this.config.oauth2.idTokenLeewaySec,
    };
    try {
      const raw = await this.rawUser(preset, provider, tokens);
      const mapped = preset.mapUser(raw, ctx);
      const lookup = preset.emails;
      if (lookup && (lookup.when === 'always' || !mapped.email)) {
        mapped.email = await this.lookupEmail(lookup.url(provider), (body) => lookup.pick(body), tokens);
      }
      if (!mapped.id) {
        throw new Error('the provider gave no user id');
      }
      return { ...mapped, rawUser: raw };
    } catch (error) {
      if (!(error instanceof BadRequestError)) {
        this.logger.warn(`${provider.name} user: ${error instanceof Error ? error.message : String(error)}`);
      }
      throw new BadRequestError(USER_FAILURE);
    }
  }

  private async rawUser(preset: OAuth2Preset, provider: OAuth2ProviderConfig, tokens: OAuth2Tokens): Promise<Raw> {
    if (usesIdToken(preset, provider.userInfoURL)) {
      const source = preset.idToken!;
      const extraIssuers = issuersOf(provider.extra.issuers);
      return verifyIdToken(
        idTokenOf(tokens.raw),
        {
          audience: provider.clientId,
          issuers: extraIssuers.length > 0 ? extraIssuers : source.issuer ? [source.issuer] : [],
          requireExp: source.requireExp === true,
          leewaySec: this.config.oauth2.idTokenLeewaySec,
          jwksURL: str(provider.extra.jwksURL) || (source.jwksURL ?? ''),
        },
        (url) => this.fetchAny(url, USER_TIMEOUT_MS, USER_FAILURE, {}),
      );
    }
    const headers: Record<string, string> = {
      authorization: `Bearer ${tokens.accessToken}`,
      accept: 'application/json',
      ...preset.headers?.(provider),
    };
    if (preset.userInfoBody === undefined) {
      return this.fetchObject(provider.userInfoURL, USER_TIMEOUT_MS, USER_FAILURE, { headers });
    }
    return this.fetchObject(provider.userInfoURL, USER_TIMEOUT_MS, USER_FAILURE, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/json' },
      body: JSON.stringify(preset.userInfoBody),
    });
  }

  /** The secondary email list (GitHub & co.); any failure there means no email, not a failed sign-in. */
  private async lookupEmail(url: string, pick: (body: unknown) => string, tokens: OAuth2Tokens): Promise<string> {
    try {
      const headers = { authorization: `Bearer ${tokens.accessToken}`, accept: 'application/json' };
      return pick(await this.fetchAny(url, USER_TIMEOUT_MS, USER_FAILURE, { headers }));
    } catch {
      return '';
    }
  }

  private async fetchObject(url: string, timeoutMs: number, failure: string, init: RequestInit): Promise<Raw> {
    const body = await this.fetchAny(url, timeoutMs, failure, init);
    if (!isObj(body)) {
      throw new BadRequestError(failure);
    }
    return body;
  }

  private async fetchAny(url: string, timeoutMs: number, failure: string, init: RequestInit): Promise<unknown> {
    try {
      const res = await fetch(url, { ...init, signal: AbortSignal.timeout(timeoutMs) });
      const text = await res.text();
      if (!res.ok) {
        this.logger.warn(`${init.method ?? 'GET'} ${url} answered ${res.status}: ${text.slice(0, 200)}`);
        throw new BadRequestError(failure);
      }
      return JSON.parse(text) as unknown;
    } catch (error) {
      if (error instanceof BadRequestError) {
        throw error;
      }
      this.logger.warn(
        `${init.method ?? 'GET'} ${url} failed: ${error instanceof Error ? error.message : String(error)}`,
      );
      throw new BadRequestError(failure);
    }
  }
}
