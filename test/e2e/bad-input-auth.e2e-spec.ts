// Bad-input corpus, auth endpoints: malformed bodies and wrong types on auth-with-password/otp/oauth2, request-*
// and confirm-*; header injection in addresses that end up in mail headers; SQL and prototype keys in identities;
// forged, expired, alg:none, file-type and wrong-collection tokens on auth and superuser-only routes. Each: a 4xx in
// the envelope, nobody logged in, nothing changed.
import assert from 'node:assert/strict';

import { any, RequestBody, runScenarios, Scenario, ScenarioContext, text } from '@lib/testing';

import { envelope, hostileRows, UNICODE } from './support/hostile';
import { editClaims, hmac, withAlg } from './support/token-forge';

/** `members`: an auth collection with OTP on, one member (`t.users.m`), and a token of a plain `users` user. */
async function members(t: ScenarioContext): Promise<void> {
  await t.createCollection({
    name: 'members',
    type: 'auth',
    listRule: null,
    viewRule: null,
    createRule: null,
    fields: [text('name')],
    otp: { enabled: true, length: 6, duration: 180 },
    oauth2: { enabled: true, providers: [] },
  });
  await t.makeUser({ name: 'kept' }, 'members', 'm');
  t.vars.userToken = (await t.makeUser()).token;
}

/** The member's record is unchanged and still logs in with its password only. */
async function memberIntact(t: ScenarioContext): Promise<void> {
  const m = t.users.m;
  const rec = await t.findRecord('members', m.record.id);
  assert.equal(rec?.email, m.email);
  assert.equal(rec?.name, 'kept');
  const login = await t.request('POST', `/api/collections/${t.col('members')}/auth-with-password`, {
    body: { identity: m.email, password: m.password },
  });
  assert.equal(login.status, 200, login.text);
}

/** POST `body` to `/api/collections/members/<action>` → `status`, nothing changed. */
function post(action: string, name: string, body: RequestBody, status: number, field?: string): Scenario {
  return {
    name: `${action}: ${name} → ${status}`,
    method: 'POST',
    url: (t) => `/api/collections/${t.col('members')}/${action}`,
    body,
    before: members,
    expectStatus: status,
    expectBody: field ? envelope(status, { data: { [field]: { code: any(String) } } }) : undefined,
    expectNotContains: ['"token":"ey'],
    after: memberIntact,
  };
}

/** The same with a body built from the scenario (`t.users.m` known). */
function postWith(
  action: string,
  name: string,
  body: (t: ScenarioContext) => RequestBody,
  status: number,
  field?: string,
): Scenario {
  return { ...post(action, name, {}, status, field), body };
}

runScenarios(
  'bad input: auth endpoint bodies',
  hostileRows([
    post('auth-with-password', 'identity as an object', { identity: { $ne: '' }, password: 'x' }, 400),
    post('auth-with-password', 'password as an array', { identity: 'a@b.co', password: ['x'] }, 400),
    postWith(
      'auth-with-password',
      'identity with NUL after a real email',
      (t) => ({ identity: `${t.users.m.email}${UNICODE.nul}`, password: t.users.m.password }),
      400,
    ),
    postWith(
      'auth-with-password',
      'identityField "password"',
      (t) => ({ identity: t.users.m.password, identityField: 'password', password: t.users.m.password }),
      400,
      'identityField',
    ),
    postWith(
      'auth-with-password',
      'identityField "__proto__"',
      (t) => ({ identity: t.users.m.email, identityField: '__proto__', password: t.users.m.password }),
      400,
      'identityField',
    ),
    postWith(
      'auth-with-password',
      'credentials only under __proto__',
      (t) => `{"__proto__":{"identity":"${t.users.m.email}","password":"${t.users.m.password}"}}`,
      400,
    ),
    post('auth-with-password', 'SQL in the identity', { identity: "' OR '1'='1", password: "' OR '1'='1" }, 400),
    post(
      'auth-with-password',
      'a 300-character password',
      { identity: 'a@b.co', password: 'p'.repeat(300) },
      400,
      'password',
    ),
    post('auth-with-password', 'malformed JSON', '{"identity":"a@b.co",', 400),
    post('auth-with-otp', 'otpId as an object', { otpId: { $gt: '' }, password: '123456' }, 400),
    post('auth-with-otp', 'otpId with SQL', { otpId: "' OR 1=1 --", password: '123456' }, 400),
    post('auth-with-otp', 'password with NUL', { otpId: 'abcdefghijklmno', password: `12${UNICODE.nul}456` }, 400),
    post('request-otp', 'email as an array', { email: ['a@b.co'] }, 400, 'email'),
    post(
      'request-otp',
      'email with CR/LF and a Bcc header',
      { email: 'a@b.co\r\nBcc: victim@example.com' },
      400,
      'email',
    ),
    postWith(
      'request-otp',
      'a real email with NUL and more',
      (t) => ({ email: `${t.users.m.email}${UNICODE.nul}.evil.com` }),
      400,
    ),
    post('request-password-reset', 'email with CR/LF', { email: 'a@b.co\r\nBcc: victim@example.com' }, 400, 'email'),
    post('request-password-reset', 'email as an object', { email: { a: 1 } }, 400, 'email'),
    post('request-verification', 'email with NUL', { email: `a${UNICODE.nul}@b.co` }, 400, 'email'),
    postWith(
      'confirm-password-reset',
      'an alg:none token',
      (t) => ({
        token: withAlg(t.users.m.token, 'none'),
        password: 'New-Passw0rd-1',
        passwordConfirm: 'New-Passw0rd-1',
      }),
      400,
    ),
    postWith(
      'confirm-password-reset',
      'an auth token instead of a reset token',
      (t) => ({ token: t.users.m.token, password: 'New-Passw0rd-1', passwordConfirm: 'New-Passw0rd-1' }),
      400,
    ),
    post(
      'confirm-password-reset',
      'token as an object',
      { token: { a: 1 }, password: 'x', passwordConfirm: 'x' },
      400,
      'token',
    ),
    postWith(
      'confirm-verification',
      'an expired, re-typed auth token',
      (t) => ({ token: editClaims(t.users.m.token, { type: 'verification', exp: 1 }) }),
      400,
    ),
    postWith(
      'confirm-email-change',
      'an alg:none token',
      (t) => ({ token: withAlg(t.users.m.token, 'none'), password: t.users.m.password }),
      400,
    ),
    post(
      'auth-with-oauth2',
      'provider "__proto__"',
      { provider: '__proto__', code: 'x', codeVerifier: 'y', redirectURL: 'http://a' },
      400,
      'provider',
    ),
    post('auth-with-oauth2', 'provider as an object', { provider: { name: 'google' }, code: 'x' }, 400, 'provider'),
    post('auth-with-oauth2', 'createData as a string', { provider: 'google', code: 'x', createData: 'admin' }, 400),
  ]),
);

/** The superuser's token edited by `forge`, sent to a superuser-only route: a 401 (or 403), nothing served. */
function forgedSuperuser(
  name: string,
  method: Scenario['method'],
  url: string,
  forge: (t: ScenarioContext) => string | Promise<string>,
  status: number,
): Scenario {
  return {
    name: `${method} ${url} with ${name} → ${status}`,
    method,
    url,
    before: async (t) => {
      t.vars.forged = await forge(t);
    },
    auth: async (t) => t.vars.forged,
    body: method === 'GET' ? undefined : {},
    expectStatus: status,
    expectNotContains: ['"smtp"', '"items"', '"token"'],
  };
}

const fileToken = async (t: ScenarioContext) =>
  (await t.su.expectOk<{ token: string }>('POST', '/api/files/token')).token;

runScenarios(
  'bad input: forged tokens on superuser-only and auth routes',
  hostileRows([
    forgedSuperuser('alg:none', 'GET', '/api/settings', (t) => withAlg(t.su.token, 'none'), 401),
    forgedSuperuser(
      'alg:none keeping the signature',
      'GET',
      '/api/logs',
      (t) => withAlg(t.su.token, 'none', () => t.su.token.split('.')[2] ?? ''),
      401,
    ),
    forgedSuperuser(
      'HS256 signed with an empty key',
      'GET',
      '/api/backups',
      (t) => withAlg(t.su.token, 'HS256', hmac('sha256', '')),
      401,
    ),
    forgedSuperuser('exp in the past', 'GET', '/api/collections', (t) => editClaims(t.su.token, { exp: 1 }), 401),
    forgedSuperuser('a superuser file token', 'GET', '/api/crons', fileToken, 401),
    forgedSuperuser('a users token', 'GET', '/api/settings', async (t) => (await t.makeUser()).token, 403),
    forgedSuperuser(
      'a users token claiming _superusers',
      'PATCH',
      '/api/settings',
      async (t) => editClaims((await t.makeUser()).token, { collectionId: 'pbc_3142635823' }),
      401,
    ),
    forgedSuperuser('a users token', 'POST', '/api/backups', async (t) => (await t.makeUser()).token, 403),
    forgedSuperuser('a users token', 'DELETE', '/api/logs', async (t) => (await t.makeUser()).token, 403),
    forgedSuperuser('"Bearer" and nothing else', 'GET', '/api/settings', () => 'Bearer', 401),
    forgedSuperuser('a 10,000-character token', 'GET', '/api/settings', () => `ey${'A'.repeat(10_000)}.x.y`, 401),
    {
      name: 'auth-refresh of _superusers with a users token → 403',
      method: 'POST',
      url: '/api/collections/_superusers/auth-refresh',
      before: members,
      auth: async (t) => t.vars.userToken,
      expectStatus: 403,
    },
    {
      name: 'auth-refresh of members with a users token (wrong collection) → 403',
      method: 'POST',
      url: (t) => `/api/collections/${t.col('members')}/auth-refresh`,
      before: members,
      auth: async (t) => t.vars.userToken,
      expectStatus: 403,
    },
    {
      name: 'impersonate by a plain user → 403, no token',
      method: 'POST',
      url: (t) => `/api/collections/${t.col('members')}/impersonate/${t.users.m.record.id}`,
      before: members,
      auth: async (t) => t.vars.userToken,
      body: { duration: 100 },
      expectStatus: 403,
      expectNotContains: ['"token":"ey'],
    },
    {
      name: 'impersonate with a negative duration → 400',
      method: 'POST',
      url: (t) => `/api/collections/${t.col('members')}/impersonate/${t.users.m.record.id}`,
      before: members,
      auth: 'superuser',
      body: { duration: -5 },
      expectStatus: 400,
    },
    {
      name: 'request-email-change to an address with CR/LF → 400',
      method: 'POST',
      url: (t) => `/api/collections/${t.col('members')}/request-email-change`,
      before: async (t) => {
        await members(t);
        t.auth(t.users.m);
      },
      body: { newEmail: 'new@example.com\r\nBcc: victim@example.com' },
      expectStatus: 400,
      after: memberIntact,
    },
    {
      name: 'auth-methods of a base collection → 404',
      method: 'GET',
      url: (t) => `/api/collections/${t.col('plain')}/auth-methods`,
      before: async (t) => {
        await t.createCollection({ name: 'plain' });
      },
      expectStatus: 404,
    },
  ]),
);
