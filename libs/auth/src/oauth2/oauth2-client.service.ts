import { Injectable, Logger } from '@nestjs/common';
import { BadRequestError, formatDate } from '@lib/core';
import { findPreset } from './oauth2-presets';
import type { OAuth2ProviderConfig, OAuth2Tokens, OAuth2User } from './oauth2-user';

const TOKEN_TIMEOUT_MS = 30_000;
const USER_TIMEOUT_MS = 30_000;

type Raw = Record<string, unknown>;

const isObj = (v: unknown): v is Raw => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Talks to the provider: the authorization-code exchange (with PKCE) and the user-info request. */
@Injectable()
export class OAuth2ClientService {
  private readonly logger = new Logger('OAuth2');

  async exchange(
    provider: OAuth2ProviderConfig,
    code: string,
    codeVerifier: string,
    redirectURL: string,
  ): Promise<OAuth2Tokens> {
    const form = new URLSearchParams({
      grant_type: 'authorization_code',
      code,
      redirect_uri: redirectURL,
      client_id: provider.clientId,
      client_secret: provider.clientSecret,
    });
    if (provider.pkce && codeVerifier) {
      form.set('code_verifier', codeVerifier);
    }
    const body = await this.fetchJson(provider.tokenURL, TOKEN_TIMEOUT_MS, 'Failed to fetch OAuth2 token.', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: form.toString(),
    });
    const accessToken = typeof body.access_token === 'string' ? body.access_token : '';
    if (!accessToken) {
      this.logger.warn(
        `token exchange with ${provider.name} gave no access_token: ${typeof body.error === 'string' ? body.error : 'no error given'}`,
      );
      throw new BadRequestError('Failed to fetch OAuth2 token.');
    }
    const expiresIn = Number(body.expires_in);
    return {
      accessToken,
      refreshToken: typeof body.refresh_token === 'string' ? body.refresh_token : '',
      expiry: Number.isFinite(expiresIn) && expiresIn > 0 ? formatDate(new Date(Date.now() + expiresIn * 1000)) : '',
    };
  }

  async fetchUser(provider: OAuth2ProviderConfig, tokens: OAuth2Tokens): Promise<OAuth2User> {
    const headers = { authorization: `Bearer ${tokens.accessToken}`, accept: 'application/json' };
    const raw = await this.fetchJson(provider.userInfoURL, USER_TIMEOUT_MS, 'Failed to fetch OAuth2 user.', {
      headers,
    });
    const mapped = findPreset(provider.name)!.mapUser(raw);
    if (!mapped.id) {
      throw new BadRequestError('Failed to fetch OAuth2 user.');
    }
    if (provider.name === 'github' && !mapped.email) {
      mapped.email = await this.githubPrimaryEmail(provider, headers);
    }
    return { ...mapped, rawUser: raw };
  }

  /** GitHub keeps private emails in `/user/emails`: the primary verified one is used. */
  private async githubPrimaryEmail(provider: OAuth2ProviderConfig, headers: Record<string, string>): Promise<string> {
    const url = provider.userInfoURL.replace(/\/user\/?$/, '/user/emails');
    try {
      const res = await fetch(url, { headers, signal: AbortSignal.timeout(USER_TIMEOUT_MS) });
      const list: unknown = res.ok ? await res.json() : [];
      const entries: unknown[] = Array.isArray(list) ? list : [];
      const primary = entries.find((e) => isObj(e) && e.primary === true && e.verified === true);
      return isObj(primary) && typeof primary.email === 'string' ? primary.email : '';
    } catch {
      return '';
    }
  }

  private async fetchJson(url: string, timeoutMs: number, failure: string, init: RequestInit): Promise<Raw> {
    try {
      const res = await fetch(url, { ...init, signal: AbortSignal.timeout(timeoutMs) });
      const text = await res.text();
      if (!res.ok) {
        this.logger.warn(`${init.method ?? 'GET'} ${url} answered ${res.status}: ${text.slice(0, 200)}`);
        throw new BadRequestError(failure);
      }
      const body: unknown = JSON.parse(text);
      if (!isObj(body)) {
        throw new BadRequestError(failure);
      }
      return body;
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
