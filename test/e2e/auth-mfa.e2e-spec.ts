// MFA over HTTP (reference §2.3): a first factor answers 401 {mfaId}; a different second factor with
// that mfaId completes the login. Factors: password and OTP (code read from a real SMTP server).
import assert from 'node:assert/strict';
import { after, before } from 'node:test';

import { any, onlyKeys, runScenarios, ScenarioContext } from '@lib/testing';

import { addUser, otpCollection, otpFor } from './auth-otp-helpers';
import { SmtpCatcher } from './support/smtp-catcher';

let smtp: SmtpCatcher;

before(async () => {
  smtp = await SmtpCatcher.start();
});

after(async () => {
  await smtp?.stop();
});

const url = (action: string) => (t: ScenarioContext) => `/api/collections/${t.col('members')}/${action}`;

/** An auth collection with password + OTP + MFA (merged with `mfa`) and a user `t.vars.{id,email,password}`. */
async function setup(t: ScenarioContext, mfa: Record<string, unknown> = {}): Promise<void> {
  await smtp.configure(t);
  await otpCollection(t, 'members', { mfa: { enabled: true, duration: 600, ...mfa } });
  const user = await addUser(t, 'members', { verified: true });
  Object.assign(t.vars, { id: user.id, email: user.email, password: user.password });
}

async function passwordFirst(t: ScenarioContext): Promise<string> {
  const res = await t.request('POST', url('auth-with-password')(t), {
    body: { identity: t.vars.email, password: t.vars.password },
  });
  assert.equal(res.status, 401, res.text);
  return res.json<{ mfaId: string }>().mfaId;
}

async function otpFirst(t: ScenarioContext): Promise<string> {
  const { otpId, code } = await otpFor(t, smtp, 'members', t.vars.email);
  const res = await t.request('POST', url('auth-with-otp')(t), { body: { otpId, password: code } });
  assert.equal(res.status, 401, res.text);
  return res.json<{ mfaId: string }>().mfaId;
}

/** Password as first factor, then a fresh OTP ready for the second call. */
async function passwordThenOtp(t: ScenarioContext, mfa: Record<string, unknown> = {}): Promise<void> {
  await setup(t, mfa);
  t.vars.mfaId = await passwordFirst(t);
  const { otpId, code } = await otpFor(t, smtp, 'members', t.vars.email);
  Object.assign(t.vars, { otpId, code });
}

const sessions = (t: ScenarioContext, mfaId: string) => t.countRecords('_mfas', `id = "${mfaId}"`);

runScenarios('MFA: collection options', [
  {
    name: 'mfa.enabled with only password auth → 400',
    method: 'POST',
    url: '/api/collections',
    auth: 'superuser',
    body: (t) => ({ name: `mfa_one_${t.suffix}`, type: 'auth', mfa: { enabled: true } }),
    expectStatus: 400,
    expectBody: { data: { mfa: { enabled: { code: 'validation_mfa_not_enough_auths' } } } },
  },
  {
    name: 'mfa.enabled with password + OTP → 200',
    method: 'POST',
    url: '/api/collections',
    auth: 'superuser',
    body: (t) => ({ name: `mfa_two_${t.suffix}`, type: 'auth', otp: { enabled: true }, mfa: { enabled: true } }),
    expectStatus: 200,
    expectBody: { mfa: { enabled: true }, otp: { enabled: true } },
  },
  {
    name: 'disabling OTP while MFA stays on → 400',
    method: 'PATCH',
    url: (t) => `/api/collections/${t.col('members')}`,
    auth: 'superuser',
    before: (t) => otpCollection(t, 'members', { mfa: { enabled: true } }),
    body: { otp: { enabled: false } },
    expectStatus: 400,
    expectBody: { data: { mfa: { enabled: { code: 'validation_mfa_not_enough_auths' } } } },
  },
]);

runScenarios('MFA: first factor', [
  {
    name: 'password first → 401 with only {mfaId}, a _mfas row for the record',
    method: 'POST',
    url: url('auth-with-password'),
    before: (t) => setup(t),
    body: (t) => ({ identity: t.vars.email, password: t.vars.password }),
    expectStatus: 401,
    expectBody: onlyKeys(['mfaId']),
    after: async (t, res) => {
      assert.match(res.json<{ mfaId: string }>().mfaId, /^[a-z0-9]{15}$/);
      const rows = await t.listRecords(
        '_mfas',
        `?filter=${encodeURIComponent(`id = "${res.json<{ mfaId: string }>().mfaId}"`)}`,
      );
      assert.equal(rows.totalItems, 1);
      assert.equal(rows.items[0].recordRef, t.vars.id);
      assert.equal(rows.items[0].collectionRef, t.id('members'));
      assert.equal(rows.items[0].method, 'password');
    },
  },
  {
    name: 'otp first → 401 {mfaId}, method otp',
    method: 'POST',
    url: url('auth-with-otp'),
    before: async (t) => {
      await setup(t);
      Object.assign(t.vars, await otpFor(t, smtp, 'members', t.vars.email));
    },
    body: (t) => ({ otpId: t.vars.otpId, password: t.vars.code }),
    expectStatus: 401,
    expectBody: onlyKeys(['mfaId']),
    after: async (t, res) => {
      const rows = await t.listRecords(
        '_mfas',
        `?filter=${encodeURIComponent(`id = "${res.json<{ mfaId: string }>().mfaId}"`)}`,
      );
      assert.equal(rows.items[0]?.method, 'otp');
    },
  },
  {
    name: 'wrong password is still 400, no session',
    method: 'POST',
    url: url('auth-with-password'),
    before: (t) => setup(t),
    body: (t) => ({ identity: t.vars.email, password: 'wrong-password' }),
    expectStatus: 400,
    expectBody: { message: 'Failed to authenticate.' },
    after: async (t) => assert.equal(await t.countRecords('_mfas', `recordRef = "${t.vars.id}"`), 0),
  },
  {
    name: 'mfa.rule not matching the record → no MFA, plain auth response',
    method: 'POST',
    url: url('auth-with-password'),
    before: (t) => setup(t, { rule: 'verified = false' }),
    body: (t) => ({ identity: t.vars.email, password: t.vars.password }),
    expectStatus: 200,
    expectBody: { token: any(String) },
  },
  {
    name: 'mfa.rule matching the record → 401 {mfaId}',
    method: 'POST',
    url: url('auth-with-password'),
    before: (t) => setup(t, { rule: 'verified = true' }),
    body: (t) => ({ identity: t.vars.email, password: t.vars.password }),
    expectStatus: 401,
    expectBody: { mfaId: any(String) },
  },
]);

runScenarios('MFA: second factor', [
  {
    name: 'password then otp (mfaId in the body) → auth response; the session is deleted',
    method: 'POST',
    url: url('auth-with-otp'),
    before: (t) => passwordThenOtp(t),
    body: (t) => ({ otpId: t.vars.otpId, password: t.vars.code, mfaId: t.vars.mfaId }),
    expectStatus: 200,
    expectBody: (t) => ({ token: any(String), record: { id: t.vars.id, email: t.vars.email } }),
    after: async (t, res) => {
      assert.equal(await sessions(t, t.vars.mfaId), 0);
      const refresh = await t.request('POST', url('auth-refresh')(t), { token: res.json<{ token: string }>().token });
      assert.equal(refresh.status, 200, `auth-refresh skips MFA: ${refresh.text}`);
    },
  },
  {
    name: 'otp then password (mfaId in the query) → auth response',
    method: 'POST',
    url: (t) => `${url('auth-with-password')(t)}?mfaId=${t.vars.mfaId}`,
    before: async (t) => {
      await setup(t);
      t.vars.mfaId = await otpFirst(t);
    },
    body: (t) => ({ identity: t.vars.email, password: t.vars.password }),
    expectStatus: 200,
    expectBody: (t) => ({ token: any(String), record: { id: t.vars.id } }),
    after: async (t) => assert.equal(await sessions(t, t.vars.mfaId), 0),
  },
  {
    name: 'the same method twice → 400, the session stays',
    method: 'POST',
    url: url('auth-with-password'),
    before: async (t) => {
      await setup(t);
      t.vars.mfaId = await passwordFirst(t);
    },
    body: (t) => ({ identity: t.vars.email, password: t.vars.password, mfaId: t.vars.mfaId }),
    expectStatus: 400,
    expectBody: { status: 400, message: 'A different authentication method is required.', data: {} },
    after: async (t) => assert.equal(await sessions(t, t.vars.mfaId), 1),
  },
  {
    name: 'expired mfaId (mfa.duration 10 s) → 400',
    method: 'POST',
    url: url('auth-with-otp'),
    before: async (t) => {
      await passwordThenOtp(t, { duration: 10 });
      await t.advanceClock(11_000);
    },
    body: (t) => ({ otpId: t.vars.otpId, password: t.vars.code, mfaId: t.vars.mfaId }),
    expectStatus: 400,
    expectBody: { status: 400, message: 'Invalid or expired MFA session.', data: {} },
  },
  {
    name: "an mfaId made after the server's clock moved past its duration is valid (its time is the same clock's)",
    method: 'POST',
    url: url('auth-with-otp'),
    before: async (t) => {
      await t.advanceClock(11_000);
      await passwordThenOtp(t, { duration: 10 });
    },
    body: (t) => ({ otpId: t.vars.otpId, password: t.vars.code, mfaId: t.vars.mfaId }),
    expectStatus: 200,
  },
  {
    name: 'unknown mfaId → 400',
    method: 'POST',
    url: url('auth-with-password'),
    before: (t) => setup(t),
    body: (t) => ({ identity: t.vars.email, password: t.vars.password, mfaId: 'abcdefghijklmno' }),
    expectStatus: 400,
    expectBody: { message: 'Invalid or expired MFA session.' },
  },
  {
    name: "another record's mfaId → 400",
    method: 'POST',
    url: url('auth-with-otp'),
    before: async (t) => {
      await passwordThenOtp(t);
      const other = await addUser(t, 'members', { verified: true });
      const res = await t.request('POST', url('auth-with-password')(t), {
        body: { identity: other.email, password: other.password },
      });
      t.vars.mfaId = res.json<{ mfaId: string }>().mfaId;
    },
    body: (t) => ({ otpId: t.vars.otpId, password: t.vars.code, mfaId: t.vars.mfaId }),
    expectStatus: 400,
    expectBody: { status: 400, data: {} },
  },
  {
    name: 'wrong second factor → 400, the session stays for a retry',
    method: 'POST',
    url: url('auth-with-otp'),
    before: (t) => passwordThenOtp(t),
    body: (t) => ({
      otpId: t.vars.otpId,
      password: t.vars.code === '000000' ? '111111' : '000000',
      mfaId: t.vars.mfaId,
    }),
    expectStatus: 400,
    expectBody: { message: 'Invalid or expired OTP' },
    after: async (t) => {
      assert.equal(await sessions(t, t.vars.mfaId), 1);
      const retry = await t.request('POST', url('auth-with-otp')(t), {
        body: { otpId: t.vars.otpId, password: t.vars.code, mfaId: t.vars.mfaId },
      });
      assert.equal(retry.status, 200, retry.text);
    },
  },
  {
    name: 'impersonate skips MFA',
    method: 'POST',
    url: (t) => `${url('impersonate')(t)}/${t.vars.id}`,
    auth: 'superuser',
    before: (t) => setup(t),
    body: { duration: 60 },
    expectStatus: 200,
    expectBody: (t) => ({ token: any(String), record: { id: t.vars.id } }),
  },
]);
