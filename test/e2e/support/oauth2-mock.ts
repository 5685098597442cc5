// A real OAuth2/OpenID Connect provider for the OAuth2 suites: `oauth2-mock-server` on a free
// 127.0.0.1 port. Each `authorize(profile)` runs the browser step (GET /authorize with a PKCE S256
// challenge) and ties the issued code, and then the access token, to that profile, so /userinfo
// answers with it. The mock itself rejects a code_verifier that doesn't match the challenge.
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { after, before } from 'node:test';

import type { OAuth2Server as MockServer } from 'oauth2-mock-server';

import { freePort, ScenarioContext, text, url } from '@lib/testing';

// eslint-disable-next-line @typescript-eslint/no-require-imports -- ESM-only package, loaded through require(esm)
const { OAuth2Server } = require('oauth2-mock-server') as typeof import('oauth2-mock-server');

export const CLIENT_ID = 'nestbase-client';
export const CLIENT_SECRET = 'nestbase-client-secret-do-not-leak';
export const REDIRECT_URL = 'http://127.0.0.1:1/api/oauth2-redirect';

export type Profile = Record<string, unknown>;

export interface Authorization {
  code: string;
  codeVerifier: string;
}

interface Incoming {
  headers: Record<string, string | string[] | undefined>;
  body?: Record<string, unknown>;
}

/**
 * What a provider answers for one sign-in, in its own shape: the user info body, members merged into the
 * token response (`null` removes one, e.g. GitHub sends no `expires_in`), claims merged into the id_token, and
 * the secondary email list some providers have (served by the ProviderApi beside the mock).
 */
export interface ProviderShape {
  userinfo: unknown;
  token?: Record<string, unknown>;
  idToken?: Record<string, unknown>;
  emails?: unknown;
  /** The token endpoint refuses HTTP Basic client auth (401 invalid_client): credentials must come as form fields. */
  rejectBasic?: boolean;
}

export class OAuth2Mock {
  /** The form of the last token request the provider received. */
  lastTokenRequest: Record<string, unknown> = {};
  /** The headers of the last token and user info requests. */
  lastTokenHeaders: Record<string, unknown> = {};
  lastUserinfoHeaders: Record<string, unknown> = {};
  private readonly byCode = new Map<string, ProviderShape>();
  private readonly byToken = new Map<string, ProviderShape>();

  private constructor(
    private readonly server: MockServer,
    readonly url: string,
  ) {
    server.service.on('beforeTokenSigning', (token: { payload: Record<string, unknown> }, req: Incoming) => {
      // The id_token is the one built with an audience (the access token carries a scope instead).
      const shape = this.byCode.get(String(req.body?.code));
      if (shape?.idToken && 'aud' in token.payload && !('scope' in token.payload)) {
        Object.assign(token.payload, shape.idToken);
      }
    });
    server.service.on(
      'beforeResponse',
      (response: { body: Record<string, unknown>; statusCode: number }, req: Incoming) => {
        this.lastTokenRequest = { ...req.body };
        this.lastTokenHeaders = { ...req.headers };
        const shape = this.byCode.get(String(req.body?.code));
        if (shape?.rejectBasic && req.headers.authorization) {
          response.statusCode = 401;
          response.body = { error: 'invalid_client' };
          return;
        }
        if (shape) {
          const token = `at_${randomBytes(12).toString('hex')}`;
          response.body.access_token = token;
          this.byToken.set(token, shape);
          for (const [key, value] of Object.entries(shape.token ?? {})) {
            if (value === null) {
              delete response.body[key];
            } else {
              response.body[key] = value;
            }
          }
        }
      },
    );
    server.service.on('beforeUserinfo', (response: { body: unknown; statusCode: number }, req: Incoming) => {
      this.lastUserinfoHeaders = { ...req.headers };
      const shape = this.shapeFor(String(req.headers.authorization ?? ''));
      response.statusCode = shape ? 200 : 401;
      response.body = shape ? shape.userinfo : { error: 'invalid_token' };
    });
  }

  /** The sign-in an `Authorization: Bearer …` header belongs to. */
  shapeFor(authorization: string): ProviderShape | undefined {
    return this.byToken.get(authorization.replace(/^Bearer\s+/i, ''));
  }

  static async start(): Promise<OAuth2Mock> {
    const server = new OAuth2Server();
    await server.issuer.keys.generate('RS256');
    await server.start(await freePort(), '127.0.0.1');
    return new OAuth2Mock(server, String(server.issuer.url).replace(/\/$/, ''));
  }

  async stop(): Promise<void> {
    await this.server.stop();
  }

  /** The provider entry of an auth collection's `oauth2.providers` pointing at this mock. */
  provider(name = 'oidc', overrides: Record<string, unknown> = {}): Record<string, unknown> {
    return {
      name,
      clientId: CLIENT_ID,
      clientSecret: CLIENT_SECRET,
      authURL: `${this.url}/authorize`,
      tokenURL: `${this.url}/token`,
      userInfoURL: `${this.url}/userinfo`,
      ...overrides,
    };
  }

  /** Ties an issued code to the profile /userinfo answers with. */
  remember(code: string, profile: Profile): void {
    this.byCode.set(code, { userinfo: profile });
  }

  /** The browser step: a code for `profile`, issued against a PKCE S256 challenge. */
  async authorize(profile: Profile): Promise<Authorization> {
    return this.authorizeShape({ userinfo: profile });
  }

  /** The browser step for a sign-in answered in a provider's own shape. */
  async authorizeShape(shape: ProviderShape): Promise<Authorization> {
    const codeVerifier = randomBytes(32).toString('base64url');
    const query = new URLSearchParams({
      response_type: 'code',
      client_id: CLIENT_ID,
      redirect_uri: REDIRECT_URL,
      state: 'state123',
      scope: 'openid email profile',
      code_challenge: createHash('sha256').update(codeVerifier).digest('base64url'),
      code_challenge_method: 'S256',
    });
    const res = await fetch(`${this.url}/authorize?${query.toString()}`, {
      redirect: 'manual',
      signal: AbortSignal.timeout(10_000),
    });
    const location = res.headers.get('location');
    const code = location ? new URL(location).searchParams.get('code') : null;
    if (!code) {
      throw new Error(`mock /authorize gave ${res.status} without a code`);
    }
    this.byCode.set(code, shape);
    return { code, codeVerifier };
  }
}

/**
 * The popup's browser for the SDK's all-in-one flow: opens `authUrl` (the provider's authorize page,
 * which redirects at once), ties the issued code to `profile`, then follows the redirect to nestbase's
 * `/api/oauth2-redirect`, whose response is returned.
 */
export async function browse(authUrl: string, profile: Profile): Promise<Response> {
  const res = await fetch(authUrl, { redirect: 'manual', signal: AbortSignal.timeout(10_000) });
  const location = res.headers.get('location');
  const code = location ? new URL(location).searchParams.get('code') : null;
  if (!location || !code) {
    throw new Error(`mock /authorize gave ${res.status} without a code`);
  }
  mock().remember(code, profile);
  return fetch(location, { redirect: 'manual', signal: AbortSignal.timeout(10_000) });
}

/** An OIDC profile with a verified email, unique per scenario. */
export function oidcProfile(t: ScenarioContext, overrides: Profile = {}): Profile {
  return {
    sub: `sub-${t.suffix}`,
    email: `oauth_${t.suffix}@example.com`,
    email_verified: true,
    name: `Ada ${t.suffix}`,
    preferred_username: `ada_${t.suffix}`,
    picture: `https://img.example.com/${t.suffix}.png`,
    ...overrides,
  };
}

let current: OAuth2Mock | undefined;

/** Starts the mock before this file's tests and stops it after them. */
export function useOAuth2Mock(): void {
  before(async () => {
    current = await OAuth2Mock.start();
  });
  after(async () => {
    await current?.stop();
    current = undefined;
  });
}

export function mock(): OAuth2Mock {
  assert.ok(current, 'the OAuth2 mock is not running (useOAuth2Mock)');
  return current;
}

const OWN = 'id = @request.auth.id';

/** An auth collection `people` with OAuth2 on (the mock as `oidc`) and all four mapped fields. */
export async function people(t: ScenarioContext, options: Record<string, unknown> = {}): Promise<void> {
  await t.createCollection({
    name: 'people',
    type: 'auth',
    listRule: OWN,
    viewRule: OWN,
    createRule: '',
    updateRule: OWN,
    deleteRule: null,
    fields: [text('name'), text('username'), url('avatarUrl'), text('extId')],
    oauth2: {
      enabled: true,
      mappedFields: { id: 'extId', name: 'name', username: 'username', avatarURL: 'avatarUrl' },
      providers: [mock().provider('oidc')],
    },
    ...options,
  });
}

/** The browser step for `profile`; the code and verifier land in `t.vars`. */
export async function authorize(t: ScenarioContext, profile: Profile): Promise<void> {
  const { code, codeVerifier } = await mock().authorize(profile);
  t.vars.code = code;
  t.vars.verifier = codeVerifier;
}

export const oauthUrl = (t: ScenarioContext, key = 'people') => `/api/collections/${t.col(key)}/auth-with-oauth2`;

export const oauthBody =
  (extra: Record<string, unknown> = {}) =>
  (t: ScenarioContext) => ({
    provider: 'oidc',
    code: t.vars.code,
    codeVerifier: t.vars.verifier,
    redirectURL: REDIRECT_URL,
    ...extra,
  });

/** The `_externalAuths` rows of a record (as superuser). */
export async function links(t: ScenarioContext, recordId: string): Promise<Record<string, unknown>[]> {
  const filter = encodeURIComponent(`recordRef = "${recordId}"`);
  const list = await t.su.expectOk<{ items: Record<string, unknown>[] }>(
    'GET',
    `/api/collections/_externalAuths/records?filter=${filter}`,
  );
  return list.items;
}
