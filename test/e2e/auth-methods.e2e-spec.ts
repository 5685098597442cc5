// GET /api/collections/:c/auth-methods: which login methods an auth collection offers (public).
import { arrayContaining, matching, onlyKeys, runScenarios, text } from '@lib/testing';

const USERS_DEFAULT = {
  password: { enabled: true, identityFields: ['email'] },
  oauth2: { enabled: false, providers: [] },
  mfa: { enabled: false, duration: 0 },
  otp: { enabled: false, duration: 0 },
  authProviders: [],
  usernamePassword: false,
  emailPassword: true,
};

runScenarios('GET /api/collections/:c/auth-methods', [
  {
    name: 'users with the defaults (guest), including the legacy keys',
    method: 'GET',
    url: '/api/collections/users/auth-methods',
    auth: 'guest',
    expectStatus: 200,
    expectBody: USERS_DEFAULT,
  },
  {
    name: 'by collection id, with an auth token: the same answer',
    method: 'GET',
    url: '/api/collections/_pb_users_auth_/auth-methods',
    before: async (t) => t.auth(await t.makeUser()),
    expectStatus: 200,
    expectBody: USERS_DEFAULT,
  },
  {
    name: "the SDK's fields=mfa,otp,password,oauth2 drops the legacy keys",
    method: 'GET',
    url: '/api/collections/users/auth-methods?fields=mfa,otp,password,oauth2',
    expectStatus: 200,
    expectBody: onlyKeys(['mfa', 'otp', 'password', 'oauth2']),
  },
  {
    name: '_superusers: password login with email',
    method: 'GET',
    url: '/api/collections/_superusers/auth-methods',
    expectStatus: 200,
    expectBody: { password: { enabled: true, identityFields: ['email'] }, oauth2: { enabled: false, providers: [] } },
  },
  {
    name: 'username + email identity, OTP and MFA enabled: durations in seconds',
    method: 'GET',
    url: (t) => `/api/collections/${t.col('members')}/auth-methods`,
    before: async (t) => {
      await t.createCollection({
        name: 'members',
        type: 'auth',
        fields: [text('username', { required: true })],
        indexes: [`CREATE UNIQUE INDEX idx_members_username_${t.suffix} ON x (username)`],
        passwordAuth: { enabled: true, identityFields: ['email', 'username'] },
        otp: { enabled: true, duration: 120, length: 6 },
        mfa: { enabled: true, duration: 300, rule: '' },
      });
    },
    expectStatus: 200,
    expectBody: {
      password: { enabled: true, identityFields: ['email', 'username'] },
      mfa: { enabled: true, duration: 300 },
      otp: { enabled: true, duration: 120 },
      usernamePassword: true,
      emailPassword: true,
    },
  },
  {
    name: 'password auth disabled: enabled false, no identity fields',
    method: 'GET',
    url: (t) => `/api/collections/${t.col('otponly')}/auth-methods`,
    before: async (t) => {
      await t.createCollection({
        name: 'otponly',
        type: 'auth',
        fields: [],
        passwordAuth: { enabled: false, identityFields: ['email'] },
        otp: { enabled: true, duration: 60 },
      });
    },
    expectStatus: 200,
    expectBody: {
      password: { enabled: false, identityFields: [] },
      otp: { enabled: true, duration: 60 },
      usernamePassword: false,
      emailPassword: false,
    },
  },
  {
    name: 'OAuth2 enabled with a configured provider: listed with its authURL (and as legacy authProviders)',
    method: 'GET',
    url: (t) => `/api/collections/${t.col('social')}/auth-methods`,
    before: async (t) => {
      await t.createCollection({
        name: 'social',
        type: 'auth',
        fields: [],
        oauth2: { enabled: true, providers: [{ name: 'github', clientId: 'client-123', clientSecret: 'secret-456' }] },
      });
    },
    expectStatus: 200,
    expectBody: {
      oauth2: {
        enabled: true,
        providers: arrayContaining([{ name: 'github', authURL: matching(/client_id=client-123.*&redirect_uri=$/) }]),
      },
      authProviders: arrayContaining([{ name: 'github' }]),
    },
    expectNotContains: ['secret-456'],
  },
  {
    name: 'base collection: 404',
    method: 'GET',
    url: (t) => `/api/collections/${t.col('posts')}/auth-methods`,
    before: async (t) => {
      await t.createCollection({ name: 'posts', type: 'base', fields: [text('title')] });
    },
    expectStatus: 404,
    expectBody: { status: 404, message: 'Missing or invalid auth collection context.', data: {} },
  },
  {
    name: 'unknown collection: 404',
    method: 'GET',
    url: '/api/collections/does_not_exist/auth-methods',
    expectStatus: 404,
    expectBody: { message: 'Missing or invalid auth collection context.' },
  },
]);
