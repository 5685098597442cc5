// Rate limits of the auth endpoints: brute-force protection of failed logins (always on) and the
// per-route rules of settings.rateLimits (only when enabled). Every scenario sends its own client IP
// through X-Forwarded-For (trustedProxy) so its counters are its own.
import assert from 'node:assert/strict';
import { randomInt } from 'node:crypto';

import { any, runScenarios, ScenarioContext, uniqueEmail } from '@lib/testing';

import { addUser, otpCollection } from './auth-otp-helpers';

const TOO_MANY = { status: 429, message: 'Too Many Requests.', data: {} };

function randomIp(): string {
  return `10.${randomInt(256)}.${randomInt(256)}.${randomInt(1, 255)}`;
}

/** Trusts X-Forwarded-For and sets the rate limits (rules default to none). */
async function limits(t: ScenarioContext, rateLimits: Record<string, unknown> = {}): Promise<void> {
  await t.su.expectOk('PATCH', '/api/settings', {
    trustedProxy: { headers: ['X-Forwarded-For'], useLeftmostIP: true },
    rateLimits: { enabled: false, rules: [], excludedIPs: [], ...rateLimits },
  });
}

const rule = (label: string, maxRequests: number, duration = 60, audience = '') => ({
  label,
  audience,
  duration,
  maxRequests,
});
const loginUrl = (t: ScenarioContext) => `/api/collections/${t.col('members')}/auth-with-password`;

/** Settings, an auth collection with OTP, a user `t.vars.{email,password}` and a client IP `t.vars.ip`. */
async function setup(t: ScenarioContext, rateLimits: Record<string, unknown> = {}): Promise<void> {
  await limits(t, rateLimits);
  await otpCollection(t, 'members');
  const user = await addUser(t, 'members', { verified: true });
  Object.assign(t.vars, { email: user.email, password: user.password, ip: randomIp() });
}

async function login(
  t: ScenarioContext,
  identity: string,
  password: string,
  ip = t.vars.ip,
  token?: string,
): Promise<number> {
  const res = await t.request('POST', loginUrl(t), {
    body: { identity, password },
    headers: { 'x-forwarded-for': ip },
    token,
  });
  return res.status;
}

async function fail(
  t: ScenarioContext,
  times: number,
  identity = t.vars.email,
  ip = t.vars.ip,
  token?: string,
): Promise<void> {
  for (let i = 1; i <= times; i += 1) {
    assert.equal(await login(t, identity, 'wrong-password', ip, token), 400, `failed attempt ${i}`);
  }
}

const asClient = (t: ScenarioContext) => ({ 'x-forwarded-for': t.vars.ip });
const rightPassword = (t: ScenarioContext) => ({ identity: t.vars.email, password: t.vars.password });

runScenarios('brute-force protection of failed logins (on by default)', [
  {
    name: 'rateLimits disabled: 10 failures of one identity from one IP → the 11th attempt from that IP is 429, even right',
    method: 'POST',
    url: loginUrl,
    before: async (t) => {
      await setup(t);
      await fail(t, 10);
    },
    headers: asClient,
    body: rightPassword,
    expectStatus: 429,
    expectBody: TOO_MANY,
    after: async (t) => {
      const other = await addUser(t, 'members', { verified: true });
      assert.equal(await login(t, other.email, other.password), 200, 'other identities are not blocked');
    },
  },
  {
    name: 'lockout is no weapon: 10 wrong passwords for the superuser from one IP, the real one logs in from another',
    method: 'POST',
    url: '/api/collections/_superusers/auth-with-password',
    before: async (t) => {
      await setup(t);
      t.vars.suEmail = uniqueEmail('root');
      t.vars.suPassword = 'Superuser-Passw0rd-1';
      await t.su.expectOk('POST', '/api/collections/_superusers/records', {
        email: t.vars.suEmail,
        password: t.vars.suPassword,
        passwordConfirm: t.vars.suPassword,
      });
      for (let i = 1; i <= 10; i += 1) {
        const res = await t.request('POST', '/api/collections/_superusers/auth-with-password', {
          body: { identity: t.vars.suEmail, password: 'wrong-password' },
          headers: { 'x-forwarded-for': t.vars.ip },
        });
        assert.equal(res.status, 400, `failed attempt ${i}`);
      }
      const attacker = await t.request('POST', '/api/collections/_superusers/auth-with-password', {
        body: { identity: t.vars.suEmail, password: 'wrong-password' },
        headers: { 'x-forwarded-for': t.vars.ip },
      });
      assert.equal(attacker.status, 429, 'the guessing client is locked out');
      t.vars.ip = randomIp();
    },
    headers: asClient,
    body: (t) => ({ identity: t.vars.suEmail, password: t.vars.suPassword }),
    expectStatus: 200,
    expectBody: { token: any(String) },
  },
  {
    name: 'the tutorial’s auth-via-email counts toward the same lockout as auth-with-password',
    method: 'POST',
    url: '/api/collections/users/auth-with-password',
    before: async (t) => {
      await limits(t);
      const user = await t.makeUser();
      Object.assign(t.vars, { email: user.email, password: user.password, ip: randomIp() });
      for (let i = 1; i <= 10; i += 1) {
        const res = await t.request('POST', '/api/users/auth-via-email', {
          body: { email: t.vars.email, password: 'wrong-password' },
          headers: asClient(t),
        });
        assert.equal(res.status, 400, `failed attempt ${i}: ${res.text}`);
      }
      const legacy = await t.request('POST', '/api/users/auth-via-email', {
        body: { email: t.vars.email, password: t.vars.password },
        headers: asClient(t),
      });
      assert.equal(legacy.status, 429, 'the 11th attempt on auth-via-email is refused, even right');
    },
    headers: asClient,
    body: rightPassword,
    expectStatus: 429,
    expectBody: TOO_MANY,
  },
  {
    name: 'per IP (*:authFailureIP 3/60 s): failures on 3 identities block a 4th identity from that IP only',
    method: 'POST',
    url: loginUrl,
    before: async (t) => {
      await setup(t, { rules: [rule('*:authFailureIP', 3)] });
      for (let i = 0; i < 3; i += 1) {
        await fail(t, 1, uniqueEmail('guess'));
      }
    },
    headers: asClient,
    body: rightPassword,
    expectStatus: 429,
    expectBody: TOO_MANY,
    after: async (t) => assert.equal(await login(t, t.vars.email, t.vars.password, randomIp()), 200),
  },
  {
    name: 'after the window (*:authFailure 3 per 60 s) the right password works again',
    method: 'POST',
    url: loginUrl,
    before: async (t) => {
      await setup(t, { rules: [rule('*:authFailure', 3)] });
      await fail(t, 3);
      assert.equal(await login(t, t.vars.email, t.vars.password), 429, 'blocked inside the window');
      await t.advanceClock(60_000); // the server's clock past the window: no waiting it out
    },
    headers: asClient,
    body: rightPassword,
    expectStatus: 200,
    expectBody: { token: any(String) },
  },
  {
    name: "a collection's own rule (<collection>:authFailure) wins over *:authFailure",
    method: 'POST',
    url: loginUrl,
    before: async (t) => {
      await setup(t);
      await limits(t, { rules: [rule('*:authFailure', 100), rule(`${t.col('members')}:authFailure`, 2)] });
      await fail(t, 2);
    },
    headers: asClient,
    body: rightPassword,
    expectStatus: 429,
  },
  {
    name: "a successful login clears the identity's failures",
    method: 'POST',
    url: loginUrl,
    before: async (t) => {
      await setup(t, { rules: [rule('*:authFailure', 3)] });
      await fail(t, 2);
      assert.equal(await login(t, t.vars.email, t.vars.password), 200);
      await fail(t, 2);
    },
    headers: asClient,
    body: rightPassword,
    expectStatus: 200,
  },
  {
    name: 'maxRequests 0 turns a failure counter off',
    method: 'POST',
    url: loginUrl,
    before: async (t) => {
      await setup(t, { rules: [rule('*:authFailure', 0), rule('*:authFailureIP', 0)] });
      await fail(t, 12);
    },
    headers: asClient,
    body: rightPassword,
    expectStatus: 200,
  },
  {
    name: 'superusers are never limited',
    method: 'POST',
    url: loginUrl,
    auth: 'superuser',
    before: async (t) => {
      await setup(t, { rules: [rule('*:authFailure', 1), rule('*:authFailureIP', 1)] });
      await fail(t, 3, t.vars.email, t.vars.ip, t.su.token);
    },
    headers: asClient,
    body: (t) => ({ identity: t.vars.email, password: 'wrong-password' }),
    expectStatus: 400,
  },
  {
    name: 'rateLimits.excludedIPs are never limited',
    method: 'POST',
    url: loginUrl,
    before: async (t) => {
      await setup(t);
      await limits(t, { rules: [rule('*:authFailure', 1)], excludedIPs: [t.vars.ip] });
      await fail(t, 3);
    },
    headers: asClient,
    body: rightPassword,
    expectStatus: 200,
  },
  {
    name: 'failed OTP attempts count per IP too',
    method: 'POST',
    url: (t) => `/api/collections/${t.col('members')}/auth-with-otp`,
    before: async (t) => {
      await setup(t, { rules: [rule('*:authFailureIP', 2)] });
      for (let i = 0; i < 2; i += 1) {
        const res = await t.request('POST', `/api/collections/${t.col('members')}/auth-with-otp`, {
          body: { otpId: 'abcdefghijklmno', password: '123456' },
          headers: asClient(t),
        });
        assert.equal(res.status, 400, res.text);
      }
    },
    headers: asClient,
    body: { otpId: 'abcdefghijklmno', password: '123456' },
    expectStatus: 429,
    expectBody: TOO_MANY,
  },
]);

runScenarios('settings.rateLimits rules on auth routes', [
  {
    name: 'enabled, *:auth 2 per 60 s → the third auth-with-password is 429, successful or not',
    method: 'POST',
    url: loginUrl,
    before: async (t) => {
      await setup(t, { enabled: true, rules: [rule('*:auth', 2)] });
      assert.equal(await login(t, t.vars.email, t.vars.password), 200);
      assert.equal(await login(t, t.vars.email, t.vars.password), 200);
    },
    headers: asClient,
    body: rightPassword,
    expectStatus: 429,
    expectBody: TOO_MANY,
    after: async (t) =>
      assert.equal(await login(t, t.vars.email, t.vars.password, randomIp()), 200, 'another IP has its own window'),
  },
  {
    name: 'disabled → the same rule does nothing',
    method: 'POST',
    url: loginUrl,
    before: async (t) => {
      await setup(t, { enabled: false, rules: [rule('*:auth', 1)] });
      assert.equal(await login(t, t.vars.email, t.vars.password), 200);
      assert.equal(await login(t, t.vars.email, t.vars.password), 200);
    },
    headers: asClient,
    body: rightPassword,
    expectStatus: 200,
  },
  {
    name: '<collection>:authWithPassword is picked before *:auth',
    method: 'POST',
    url: loginUrl,
    before: async (t) => {
      await setup(t);
      await limits(t, { enabled: true, rules: [rule('*:auth', 100), rule(`${t.col('members')}:authWithPassword`, 1)] });
      assert.equal(await login(t, t.vars.email, t.vars.password), 200);
    },
    headers: asClient,
    body: rightPassword,
    expectStatus: 429,
  },
  {
    name: 'a path prefix rule (/api/) applies when no action rule matches',
    method: 'POST',
    url: loginUrl,
    before: async (t) => {
      await setup(t, { enabled: true, rules: [rule('/api/', 1)] });
      assert.equal(await login(t, t.vars.email, t.vars.password), 200);
    },
    headers: asClient,
    body: rightPassword,
    expectStatus: 429,
  },
  {
    name: 'users:authWithPassword limits the tutorial’s auth-via-email too',
    method: 'POST',
    url: '/api/users/auth-via-email',
    before: async (t) => {
      await limits(t, { enabled: true, rules: [rule('users:authWithPassword', 1)] });
      const user = await t.makeUser();
      Object.assign(t.vars, { email: user.email, password: user.password, ip: randomIp() });
      const first = await t.request('POST', '/api/users/auth-via-email', {
        body: rightPassword(t),
        headers: asClient(t),
      });
      assert.equal(first.status, 200, first.text);
    },
    headers: asClient,
    body: rightPassword,
    expectStatus: 429,
    expectBody: TOO_MANY,
  },
  {
    name: 'windows end: *:auth 1 per 60 s allows the next request once the clock passed the window',
    method: 'POST',
    url: loginUrl,
    before: async (t) => {
      await setup(t, { enabled: true, rules: [rule('*:auth', 1)] });
      // A window far longer than two logins on a loaded machine, ended by moving the server's clock.
      const pair = [await login(t, t.vars.email, t.vars.password), await login(t, t.vars.email, t.vars.password)];
      assert.deepEqual(pair, [200, 429]);
      await t.advanceClock(60_000);
    },
    headers: asClient,
    body: rightPassword,
    expectStatus: 200,
  },
  {
    name: '*:requestOTP limits request-otp',
    method: 'POST',
    url: (t) => `/api/collections/${t.col('members')}/request-otp`,
    before: async (t) => {
      await setup(t, { enabled: true, rules: [rule('*:requestOTP', 1)] });
      const res = await t.request('POST', `/api/collections/${t.col('members')}/request-otp`, {
        body: { email: uniqueEmail('x') },
        headers: asClient(t),
      });
      assert.equal(res.status, 200, res.text);
    },
    headers: asClient,
    body: { email: 'someone@example.com' },
    expectStatus: 429,
    expectBody: TOO_MANY,
  },
  {
    name: 'an @auth rule does not apply to guests',
    method: 'POST',
    url: (t) => `/api/collections/${t.col('members')}/request-otp`,
    before: async (t) => {
      await setup(t, { enabled: true, rules: [rule('*:requestOTP', 1, 60, '@auth')] });
      const res = await t.request('POST', `/api/collections/${t.col('members')}/request-otp`, {
        body: { email: uniqueEmail('x') },
        headers: asClient(t),
      });
      assert.equal(res.status, 200, res.text);
    },
    headers: asClient,
    body: { email: 'someone@example.com' },
    expectStatus: 200,
  },
  {
    name: '*:authRefresh limits auth-refresh',
    method: 'POST',
    url: (t) => `/api/collections/${t.col('members')}/auth-refresh`,
    auth: async (t) => t.vars.token,
    before: async (t) => {
      await setup(t);
      const res = await t.request('POST', loginUrl(t), { body: rightPassword(t) });
      t.vars.token = res.json<{ token: string }>().token;
      await limits(t, { enabled: true, rules: [rule('*:authRefresh', 1)] });
      const first = await t.request('POST', `/api/collections/${t.col('members')}/auth-refresh`, {
        token: t.vars.token,
        headers: asClient(t),
      });
      assert.equal(first.status, 200, first.text);
    },
    headers: asClient,
    expectStatus: 429,
  },
  {
    name: 'superusers skip the rules',
    method: 'POST',
    url: loginUrl,
    auth: 'superuser',
    before: async (t) => {
      await setup(t, { enabled: true, rules: [rule('*:auth', 1)] });
      assert.equal(await login(t, t.vars.email, t.vars.password, t.vars.ip, t.su.token), 200);
    },
    headers: asClient,
    body: rightPassword,
    expectStatus: 200,
  },
]);
