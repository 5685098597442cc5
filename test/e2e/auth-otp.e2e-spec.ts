// request-otp / auth-with-otp over HTTP with a real SMTP server: the code is read from the mail.
import assert from 'node:assert/strict';
import { after, before } from 'node:test';

import { any, matching, runScenarios, ScenarioContext, uniqueEmail } from '@lib/testing';

import { addUser, codeFromMail, otpCollection, otpFor, requestOtp } from './auth-otp-helpers';
import { SmtpCatcher } from './support/smtp-catcher';

let smtp: SmtpCatcher;

before(async () => {
  smtp = await SmtpCatcher.start();
});

after(async () => {
  await smtp?.stop();
});

const INVALID = { status: 400, message: 'Invalid or expired OTP', data: {} };
const requestUrl = (t: ScenarioContext) => `/api/collections/${t.col('members')}/request-otp`;
const authUrl = (t: ScenarioContext) => `/api/collections/${t.col('members')}/auth-with-otp`;

/** An OTP collection, a user and (optionally) an OTP mailed to it. */
async function setup(
  t: ScenarioContext,
  options: Record<string, unknown> = {},
  user: Record<string, unknown> = {},
): Promise<void> {
  await smtp.configure(t);
  await otpCollection(t, 'members', options);
  const created = await addUser(t, 'members', user);
  t.vars.id = created.id;
  t.vars.email = created.email;
}

async function withOtp(
  t: ScenarioContext,
  options: Record<string, unknown> = {},
  user: Record<string, unknown> = {},
): Promise<void> {
  await setup(t, options, user);
  const { otpId, code } = await otpFor(t, smtp, 'members', t.vars.email);
  t.vars.otpId = otpId;
  t.vars.code = code;
}

async function otpCount(t: ScenarioContext, filter: string): Promise<number> {
  return t.countRecords('_otps', filter);
}

runScenarios('POST /api/collections/:c/request-otp', [
  {
    name: 'unknown collection → 404',
    method: 'POST',
    url: '/api/collections/nope_nope/request-otp',
    body: { email: 'a@b.c' },
    expectStatus: 404,
  },
  {
    name: 'OTP disabled → 403',
    method: 'POST',
    url: requestUrl,
    before: (t) => setup(t, { otp: { enabled: false } }),
    body: (t) => ({ email: t.vars.email }),
    expectStatus: 403,
    expectBody: { status: 403, message: 'The collection is not configured to allow OTP authentication.', data: {} },
  },
  {
    name: 'missing email → 400',
    method: 'POST',
    url: requestUrl,
    before: (t) => setup(t),
    body: {},
    expectStatus: 400,
    expectBody: { data: { email: { code: 'validation_required' } } },
  },
  {
    name: 'malformed email → 400',
    method: 'POST',
    url: requestUrl,
    before: (t) => setup(t),
    body: { email: 'not-an-email' },
    expectStatus: 400,
    expectBody: { data: { email: { code: 'validation_is_email' } } },
  },
  {
    name: 'unknown email → 200 with a fake otpId, nothing stored, no mail',
    method: 'POST',
    url: requestUrl,
    before: async (t) => {
      await setup(t);
      t.vars.nobody = uniqueEmail('nobody');
    },
    body: (t) => ({ email: t.vars.nobody }),
    expectStatus: 200,
    expectBody: { otpId: matching(/^[a-z0-9]{15}$/) },
    after: async (t, res) => {
      assert.equal(await otpCount(t, `id = "${res.json<{ otpId: string }>().otpId}"`), 0);
      await smtp.expectMailCount(t, t.vars.nobody, 0);
    },
  },
  {
    name: 'known email → 200 {otpId}, an _otps row and a mail with an otp.length-digit code',
    method: 'POST',
    url: requestUrl,
    before: (t) => setup(t),
    body: (t) => ({ email: t.vars.email.toUpperCase() }),
    expectStatus: 200,
    expectBody: { otpId: matching(/^[a-z0-9]{15}$/) },
    after: async (t, res) => {
      const { otpId } = res.json<{ otpId: string }>();
      const mail = await smtp.waitForMail(t.vars.email);
      assert.match(codeFromMail(mail), /^\d{6}$/);
      assert.equal(mail.subject, 'OTP for NestbaseTest');
      const rows = await t.listRecords('_otps', `?filter=${encodeURIComponent(`id = "${otpId}"`)}`);
      assert.equal(rows.totalItems, 1);
      assert.equal(rows.items[0].recordRef, t.vars.id);
      assert.equal(rows.items[0].collectionRef, t.id('members'));
      assert.equal(rows.items[0].sentTo, t.vars.email);
      assert.ok(!JSON.stringify(rows.items[0]).includes(codeFromMail(mail)), 'the code is stored hashed');
    },
  },
  {
    name: 'the collection template fills {OTP}, {OTP_ID} and {RECORD:email}',
    method: 'POST',
    url: requestUrl,
    before: (t) =>
      setup(t, {
        otp: {
          length: 8,
          emailTemplate: {
            subject: 'Code {OTP}',
            body: '<p>id={OTP_ID} for {RECORD:email}: <strong>{OTP}</strong></p>',
          },
        },
      }),
    body: (t) => ({ email: t.vars.email }),
    expectStatus: 200,
    after: async (t, res) => {
      const mail = await smtp.waitForMail(t.vars.email);
      const code = codeFromMail(mail);
      assert.match(code, /^\d{8}$/);
      assert.equal(mail.subject, `Code ${code}`);
      assert.ok(mail.html.includes(`id=${res.json<{ otpId: string }>().otpId} for ${t.vars.email}`), mail.html);
    },
  },
  {
    name: 'after 10 live OTPs the newest is reused (no new row, no new mail)',
    method: 'POST',
    url: requestUrl,
    before: async (t) => {
      await setup(t);
      for (let i = 1; i <= 10; i += 1) {
        t.vars.last = await requestOtp(t, 'members', t.vars.email);
      }
      await smtp.waitForMail(t.vars.email, 10);
    },
    body: (t) => ({ email: t.vars.email }),
    expectStatus: 200,
    expectBody: (t) => ({ otpId: t.vars.last }),
    after: async (t) => {
      assert.equal(await otpCount(t, `recordRef = "${t.vars.id}"`), 10);
      await smtp.expectMailCount(t, t.vars.email, 10);
    },
  },
]);

runScenarios('POST /api/collections/:c/auth-with-otp', [
  {
    name: 'OTP disabled → 403',
    method: 'POST',
    url: authUrl,
    before: (t) => setup(t, { otp: { enabled: false } }),
    body: { otpId: 'abcdefghijklmno', password: '123456' },
    expectStatus: 403,
  },
  {
    name: 'blank fields → 400 with field errors',
    method: 'POST',
    url: authUrl,
    before: (t) => setup(t),
    body: {},
    expectStatus: 400,
    expectBody: { data: { otpId: { code: any(String) }, password: { code: any(String) } } },
  },
  {
    name: 'unknown otpId → 400',
    method: 'POST',
    url: authUrl,
    before: (t) => setup(t),
    body: { otpId: 'abcdefghijklmno', password: '123456' },
    expectStatus: 400,
    expectBody: INVALID,
  },
  {
    name: 'wrong code → 400, the OTP stays',
    method: 'POST',
    url: authUrl,
    before: (t) => withOtp(t),
    body: (t) => ({ otpId: t.vars.otpId, password: t.vars.code === '000000' ? '111111' : '000000' }),
    expectStatus: 400,
    expectBody: INVALID,
    after: async (t) => assert.equal(await otpCount(t, `id = "${t.vars.otpId}"`), 1),
  },
  {
    name: 'right code → auth response; the OTP is deleted and cannot be reused',
    method: 'POST',
    url: authUrl,
    before: (t) => withOtp(t),
    body: (t) => ({ otpId: t.vars.otpId, password: t.vars.code }),
    expectStatus: 200,
    expectBody: (t) => ({ token: any(String), record: { id: t.vars.id, email: t.vars.email } }),
    expectNotContains: ['"password"', 'tokenKey'],
    after: async (t, res) => {
      assert.equal(await otpCount(t, `id = "${t.vars.otpId}"`), 0);
      const me = await t.request('POST', `/api/collections/${t.col('members')}/auth-refresh`, {
        token: res.json<{ token: string }>().token,
      });
      assert.equal(me.status, 200, me.text);
      const again = await t.request('POST', authUrl(t), { body: { otpId: t.vars.otpId, password: t.vars.code } });
      assert.equal(again.status, 400);
    },
  },
  {
    name: 'an OTP of another collection → 400',
    method: 'POST',
    url: (t) => `/api/collections/${t.col('others')}/auth-with-otp`,
    before: async (t) => {
      await withOtp(t);
      await otpCollection(t, 'others');
    },
    body: (t) => ({ otpId: t.vars.otpId, password: t.vars.code }),
    expectStatus: 400,
    expectBody: INVALID,
  },
  {
    name: 'expired OTP (otp.duration 10 s) → 400',
    method: 'POST',
    url: authUrl,
    before: async (t) => {
      await withOtp(t, { otp: { duration: 10 } });
      await t.advanceClock(11_000);
    },
    body: (t) => ({ otpId: t.vars.otpId, password: t.vars.code }),
    expectStatus: 400,
    expectBody: INVALID,
  },
  {
    name: "an OTP requested after the server's clock moved past its duration is valid (its time is the same clock's)",
    method: 'POST',
    url: authUrl,
    before: async (t) => {
      await t.advanceClock(11_000);
      await withOtp(t, { otp: { duration: 10 } });
    },
    body: (t) => ({ otpId: t.vars.otpId, password: t.vars.code }),
    expectStatus: 200,
  },
  {
    name: 'an unverified record becomes verified and (MFA off) gets a random password',
    method: 'POST',
    url: authUrl,
    before: (t) => withOtp(t),
    body: (t) => ({ otpId: t.vars.otpId, password: t.vars.code }),
    expectStatus: 200,
    expectBody: { record: { verified: true } },
    after: async (t, res) => {
      assert.equal((await t.findRecord('members', t.vars.id))?.verified, true);
      const login = await t.request('POST', `/api/collections/${t.col('members')}/auth-with-password`, {
        body: { identity: t.vars.email, password: 'Test-Passw0rd-123' },
      });
      assert.equal(login.status, 400, 'the pre-registration password no longer works');
      const token = res.json<{ token: string }>().token;
      assert.equal(
        (await t.request('POST', `/api/collections/${t.col('members')}/auth-refresh`, { token })).status,
        200,
        'the new token is valid',
      );
    },
  },
  {
    name: 'a verified record keeps its password',
    method: 'POST',
    url: authUrl,
    before: (t) => withOtp(t, {}, { verified: true }),
    body: (t) => ({ otpId: t.vars.otpId, password: t.vars.code }),
    expectStatus: 200,
    expectBody: { record: { verified: true } },
    after: async (t) => {
      const login = await t.request('POST', `/api/collections/${t.col('members')}/auth-with-password`, {
        body: { identity: t.vars.email, password: 'Test-Passw0rd-123' },
      });
      assert.equal(login.status, 200, login.text);
    },
  },
  {
    name: 'more than 5 failed attempts per record in 180 s → 429, even with the right code',
    method: 'POST',
    url: authUrl,
    before: async (t) => {
      await withOtp(t, {}, { verified: true });
      const wrong = t.vars.code === '000000' ? '111111' : '000000';
      for (let i = 0; i < 5; i += 1) {
        const res = await t.request('POST', authUrl(t), { body: { otpId: t.vars.otpId, password: wrong } });
        assert.equal(res.status, 400, `attempt ${i + 1}: ${res.text}`);
      }
    },
    body: (t) => ({ otpId: t.vars.otpId, password: t.vars.code }),
    expectStatus: 429,
    expectBody: { status: 429, data: {} },
  },
  {
    name: 'failed codes from another client address do not lock the user out (counted per record and address)',
    method: 'POST',
    url: authUrl,
    before: async (t) => {
      await setup(t, {}, { verified: true });
      // The leftmost entry: behind the gateway of the distributed set, X-Forwarded-For arrives as
      // "<what this test sent>, <its socket address>" (the gateway appends what it saw).
      const trustedProxy = { headers: ['X-Forwarded-For'], useLeftmostIP: true };
      await t.su.expectOk('PATCH', '/api/settings', { trustedProxy });
      const attacker = { 'x-forwarded-for': '10.66.66.66' };
      const theirs = await requestOtp(t, 'members', t.vars.email);
      for (let i = 0; i < 5; i += 1) {
        const res = await t.request('POST', authUrl(t), {
          body: { otpId: theirs, password: 'wrong-code' },
          headers: attacker,
        });
        assert.equal(res.status, 400, `attempt ${i + 1}: ${res.text}`);
      }
      const blocked = await t.request('POST', authUrl(t), {
        body: { otpId: theirs, password: 'wrong-code' },
        headers: attacker,
      });
      assert.equal(blocked.status, 429, 'the guessing address is refused');
      const mine = await otpFor(t, smtp, 'members', t.vars.email, 2);
      Object.assign(t.vars, mine);
    },
    headers: { 'x-forwarded-for': '10.77.77.77' },
    body: (t) => ({ otpId: t.vars.otpId, password: t.vars.code }),
    expectStatus: 200,
  },
]);
