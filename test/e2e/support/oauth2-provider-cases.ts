// One row per provider preset: the provider's answers in its own shape (served by oauth2-mock-server and
// the ProviderApi beside it) and the OAuth2 user PocketBase maps from them (its tools/auth/<provider>.go).
import assert from 'node:assert/strict';

import type { Expected, ScenarioContext } from '@lib/testing';

import { CLIENT_ID, mock, type ProviderShape } from './oauth2-mock';
import { providerApi } from './oauth2-provider-api';

export interface MappedUser {
  id: string;
  name: string;
  username: string;
  email: string;
  avatarURL: string;
}

export interface ProviderCase {
  provider: string;
  /** What the row shows, when a provider has more than one. */
  label?: string;
  /** Overrides of the provider entry (the mock's URLs are the default). */
  config?: (t: ScenarioContext) => Record<string, unknown>;
  shape: (t: ScenarioContext) => ProviderShape;
  user: (t: ScenarioContext) => MappedUser;
  rawUser?: (t: ScenarioContext) => Expected;
  /** More expectations on `meta` (e.g. no expiry when the provider sends no `expires_in`). */
  meta?: Record<string, Expected>;
  check?: (t: ScenarioContext) => void | Promise<void>;
}

export const mailOf = (t: ScenarioContext, who: string) => `${who}_${t.suffix}@example.com`;
export const noPkce = () => assert.equal(mock().lastTokenRequest.code_verifier, undefined);
export const userinfoHeader = (name: string) => mock().lastUserinfoHeaders[name];

const APPLE_ISS = 'https://appleid.apple.com';

export const IDENTITY_CASES: ProviderCase[] = [
  {
    provider: 'apple',
    label: 'the user is the id_token, verified with the JWKS; email_verified as a string',
    config: () => ({ userInfoURL: '', extra: { jwksURL: `${mock().url}/jwks` } }),
    shape: (t) => ({
      userinfo: { error: 'Apple has no user info endpoint' },
      idToken: { iss: APPLE_ISS, sub: `001.${t.suffix}`, email: mailOf(t, 'apple'), email_verified: 'true' },
    }),
    user: (t) => ({ id: `001.${t.suffix}`, name: '', username: '', email: mailOf(t, 'apple'), avatarURL: '' }),
    rawUser: (t) => ({ iss: APPLE_ISS, aud: CLIENT_ID, sub: `001.${t.suffix}`, email_verified: 'true' }),
    check: () => assert.deepEqual(mock().lastUserinfoHeaders, {}, 'no user info request'),
  },
  {
    provider: 'google',
    shape: (t) => ({
      userinfo: {
        sub: `10${t.suffix}`,
        name: 'Grace Hopper',
        given_name: 'Grace',
        picture: `https://lh3.googleusercontent.com/a/${t.suffix}`,
        email: mailOf(t, 'google'),
        email_verified: true,
      },
    }),
    user: (t) => ({
      id: `10${t.suffix}`,
      name: 'Grace Hopper',
      username: '',
      email: mailOf(t, 'google'),
      avatarURL: `https://lh3.googleusercontent.com/a/${t.suffix}`,
    }),
  },
  {
    provider: 'microsoft',
    label: 'Graph /me: displayName, mail',
    shape: (t) => ({
      userinfo: { id: `ms-${t.suffix}`, displayName: 'Alan Turing', mail: mailOf(t, 'ms'), userPrincipalName: 'x' },
    }),
    user: (t) => ({ id: `ms-${t.suffix}`, name: 'Alan Turing', username: '', email: mailOf(t, 'ms'), avatarURL: '' }),
  },
  {
    provider: 'microsoft',
    label: 'extra.idTokenEmailClaim any_verified: the email from the id_token (xms_edov)',
    config: () => ({ extra: { idTokenEmailClaim: 'any_verified' } }),
    shape: (t) => ({
      userinfo: { id: `ms2-${t.suffix}`, displayName: 'Edsger', mail: 'unverified@example.com' },
      idToken: { email: mailOf(t, 'edov'), xms_edov: true },
    }),
    user: (t) => ({ id: `ms2-${t.suffix}`, name: 'Edsger', username: '', email: mailOf(t, 'edov'), avatarURL: '' }),
  },
  {
    provider: 'oidc',
    label: 'user info endpoint, standard claims',
    shape: (t) => ({
      userinfo: {
        sub: `oidc-${t.suffix}`,
        name: 'Ada Lovelace',
        preferred_username: `ada_${t.suffix}`,
        picture: `https://idp.example.com/${t.suffix}.png`,
        email: mailOf(t, 'oidc'),
        email_verified: true,
      },
    }),
    user: (t) => ({
      id: `oidc-${t.suffix}`,
      name: 'Ada Lovelace',
      username: `ada_${t.suffix}`,
      email: mailOf(t, 'oidc'),
      avatarURL: `https://idp.example.com/${t.suffix}.png`,
    }),
  },
  {
    provider: 'oidc2',
    label: 'id_token only: signature (JWKS) and issuer checked',
    config: () => ({ userInfoURL: '', extra: { jwksURL: `${mock().url}/jwks`, issuers: [mock().url] } }),
    shape: (t) => ({
      userinfo: { error: 'not used' },
      idToken: {
        iss: mock().url,
        sub: `tok-${t.suffix}`,
        name: 'Barbara Liskov',
        preferred_username: `barbara_${t.suffix}`,
        email: mailOf(t, 'idtoken'),
        email_verified: 'true',
      },
    }),
    user: (t) => ({
      id: `tok-${t.suffix}`,
      name: 'Barbara Liskov',
      username: `barbara_${t.suffix}`,
      email: mailOf(t, 'idtoken'),
      avatarURL: '',
    }),
    rawUser: (t) => ({ iss: mock().url, aud: CLIENT_ID, sub: `tok-${t.suffix}` }),
  },
  {
    provider: 'oidc3',
    label: 'id_token only without a JWKS URL: claims checked; an unverified email is dropped',
    config: () => ({ userInfoURL: '' }),
    shape: (t) => ({
      userinfo: { error: 'not used' },
      idToken: { sub: `t3-${t.suffix}`, name: 'Leslie', email: mailOf(t, 'unverified'), email_verified: false },
    }),
    user: (t) => ({ id: `t3-${t.suffix}`, name: 'Leslie', username: '', email: '', avatarURL: '' }),
    rawUser: (t) => ({ sub: `t3-${t.suffix}`, email_verified: false, aud: CLIENT_ID }),
  },
  {
    provider: 'mailcow',
    label: 'self-hosted URLs; the username is the local part',
    shape: (t) => ({
      userinfo: {
        id: `mc-${t.suffix}`,
        username: `box_${t.suffix}@mail.example.com`,
        email: mailOf(t, 'mailcow'),
        full_name: 'Mail Cow',
        active: 1,
      },
    }),
    user: (t) => ({
      id: `mc-${t.suffix}`,
      name: 'Mail Cow',
      username: `box_${t.suffix}`,
      email: mailOf(t, 'mailcow'),
      avatarURL: '',
    }),
  },
  {
    provider: 'linear',
    label: 'GraphQL viewer query (POST), no PKCE',
    config: () => ({ userInfoURL: `${providerApi().url}/graphql` }),
    shape: (t) => ({
      userinfo: {
        data: {
          viewer: {
            id: `lin-${t.suffix}`,
            displayName: `lin_${t.suffix}`,
            name: 'Lin Ear',
            email: mailOf(t, 'linear'),
            avatarUrl: `https://linear.example/${t.suffix}.png`,
            active: true,
          },
        },
      },
    }),
    user: (t) => ({
      id: `lin-${t.suffix}`,
      name: 'Lin Ear',
      username: `lin_${t.suffix}`,
      email: mailOf(t, 'linear'),
      avatarURL: `https://linear.example/${t.suffix}.png`,
    }),
    check: () => {
      noPkce();
      assert.match(
        JSON.stringify(providerApi().lastGraphql.body),
        /viewer \{ id displayName name email avatarUrl active/,
      );
      assert.equal(providerApi().lastGraphql.headers['content-type'], 'application/json');
    },
  },
  {
    provider: 'monday',
    label: 'GraphQL me query (POST); the email when verified',
    config: () => ({ userInfoURL: `${providerApi().url}/graphql` }),
    shape: (t) => ({
      userinfo: {
        data: {
          me: {
            id: `mon-${t.suffix}`,
            enabled: true,
            name: 'Mon Day',
            email: mailOf(t, 'monday'),
            is_verified: true,
            photo_small: `https://monday.example/${t.suffix}.png`,
          },
        },
      },
    }),
    user: (t) => ({
      id: `mon-${t.suffix}`,
      name: 'Mon Day',
      username: '',
      email: mailOf(t, 'monday'),
      avatarURL: `https://monday.example/${t.suffix}.png`,
    }),
    check: () => assert.match(JSON.stringify(providerApi().lastGraphql.body), /me \{ id enabled name email/),
  },
];
