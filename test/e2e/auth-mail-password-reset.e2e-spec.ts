// request-password-reset / confirm-password-reset over HTTP with a real SMTP server: the reset token
// is read from the captured mail, the new password works, the old one and old auth tokens don't.
import assert from 'node:assert/strict';
import { after, before } from 'node:test';

import { runScenarios, ScenarioContext, TestUser, tokenFor, uniqueEmail } from '@lib/testing';

import { jwtClaims } from './support/jwt-claims';
import { SmtpCatcher, tokenFromMail } from './support/smtp-catcher';

let smtp: SmtpCatcher;

before(async () => {
  smtp = await SmtpCatcher.start();
});

after(async () => {
  await smtp?.stop();
});

const NEW_PASSWORD = 'Brand-New-Passw0rd!';

/** A user, a reset mail for it and the token from that mail (in t.vars.token). */
async function resetToken(t: ScenarioContext, overrides: Record<string, unknown> = {}): Promise<TestUser> {
  await smtp.configure(t);
  const user = await t.makeUser(overrides);
  const res = await t.request('POST', '/api/collections/users/request-password-reset', { body: { email: user.email } });
  assert.equal(res.status, 204, res.text);
  t.vars.token = tokenFromMail(await smtp.waitForMail(user.email));
  t.vars.id = user.record.id;
  t.vars.email = user.email;
  return user;
}

async function loginStatus(t: ScenarioContext, email: string, password: string): Promise<number> {
  const res = await t.request('POST', '/api/collections/users/auth-with-password', {
    body: { identity: email, password },
  });
  return res.status;
}

runScenarios('POST /api/collections/:c/request-password-reset', [
  {
    name: 'known email: 204 and a reset mail with a passwordReset token',
    method: 'POST',
    url: '/api/collections/users/request-password-reset',
    before: async (t) => {
      await smtp.configure(t);
      const user = await t.makeUser();
      t.vars.email = user.email;
      t.vars.id = user.record.id;
    },
    body: (t) => ({ email: t.vars.email }),
    expectStatus: 204,
    after: async (t, res) => {
      assert.equal(res.text, '');
      const mail = await smtp.waitForMail(t.vars.email);
      assert.equal(mail.subject, 'Reset your NestbaseTest password');
      const token = tokenFromMail(mail);
      assert.ok(mail.html.includes(`http://app.test/_/#/auth/confirm-password-reset/${token}`), mail.html);
      const claims = jwtClaims(token);
      assert.equal(claims.type, 'passwordReset');
      assert.equal(claims.id, t.vars.id);
      assert.equal(claims.email, t.vars.email);
      assert.equal(claims.collectionId, '_pb_users_auth_');
      assert.ok(Number(claims.exp) - Date.now() / 1000 <= 1800 + 5, 'default lifetime 1800 s');
    },
  },
  {
    name: 'unknown email: the same 204, and no mail',
    method: 'POST',
    url: '/api/collections/users/request-password-reset',
    before: async (t) => {
      await smtp.configure(t);
      t.vars.email = uniqueEmail('ghost');
    },
    body: (t) => ({ email: t.vars.email }),
    expectStatus: 204,
    after: async (t, res) => {
      assert.equal(res.text, '');
      await smtp.expectMailCount(t, t.vars.email, 0);
    },
  },
  {
    name: 're-request within 2 minutes: 204 and no second mail',
    method: 'POST',
    url: '/api/collections/users/request-password-reset',
    before: async (t) => {
      await resetToken(t);
    },
    body: (t) => ({ email: t.vars.email }),
    expectStatus: 204,
    after: async (t) => smtp.expectMailCount(t, t.vars.email, 1),
  },
  {
    name: 'malformed email: 400 validation_is_email',
    method: 'POST',
    url: '/api/collections/users/request-password-reset',
    body: { email: 'nope' },
    expectStatus: 400,
    expectBody: { data: { email: { code: 'validation_is_email' } } },
  },
  {
    name: 'password auth disabled: 400',
    method: 'POST',
    url: (t) => `/api/collections/${t.col('nopass')}/request-password-reset`,
    before: async (t) => {
      await t.createCollection({ name: 'nopass', type: 'auth', fields: [], passwordAuth: { enabled: false } });
    },
    body: { email: 'someone@example.com' },
    expectStatus: 400,
    expectBody: { message: 'The collection is not configured to allow password authentication.' },
  },
  {
    name: 'superusers can reset too',
    method: 'POST',
    url: '/api/collections/_superusers/request-password-reset',
    before: async (t) => {
      await smtp.configure(t);
      t.vars.email = uniqueEmail('admin');
      await t.su.expectOk('POST', '/api/collections/_superusers/records', {
        email: t.vars.email,
        password: 'Admin-Passw0rd-1',
        passwordConfirm: 'Admin-Passw0rd-1',
      });
    },
    body: (t) => ({ email: t.vars.email }),
    expectStatus: 204,
    after: async (t) => {
      const mail = await smtp.waitForMail(t.vars.email);
      assert.equal(jwtClaims(tokenFromMail(mail)).collectionId, 'pbc_3142635823');
    },
  },
  {
    name: 'non-auth collection: 404',
    method: 'POST',
    url: (t) => `/api/collections/${t.col('posts')}/request-password-reset`,
    before: async (t) => {
      await t.createCollection({ name: 'posts', type: 'base', fields: [] });
    },
    body: { email: 'someone@example.com' },
    expectStatus: 404,
  },
]);

runScenarios('POST /api/collections/:c/confirm-password-reset', [
  {
    name: 'token from the mail: 204; new password works, old password and old auth token do not',
    method: 'POST',
    url: '/api/collections/users/confirm-password-reset',
    before: async (t) => {
      const user = await resetToken(t);
      t.vars.oldToken = user.token;
      t.vars.oldPassword = user.password;
    },
    body: (t) => ({ token: t.vars.token, password: NEW_PASSWORD, passwordConfirm: NEW_PASSWORD }),
    expectStatus: 204,
    after: async (t) => {
      assert.equal(await loginStatus(t, t.vars.email, NEW_PASSWORD), 200);
      assert.equal(await loginStatus(t, t.vars.email, t.vars.oldPassword), 400);
      const refresh = await t.request('POST', '/api/collections/users/auth-refresh', { token: t.vars.oldToken });
      assert.equal(refresh.status, 401, 'the old auth token must stop working');
      const reuse = await t.request('POST', '/api/collections/users/confirm-password-reset', {
        body: { token: t.vars.token, password: 'Another-Passw0rd', passwordConfirm: 'Another-Passw0rd' },
      });
      assert.equal(reuse.status, 400, 'a reset token works once');
      assert.equal(reuse.json<{ data: { token: { code: string } } }>().data.token.code, 'validation_invalid_token');
    },
  },
  {
    name: 'marks the user verified (the token was sent to the current email)',
    method: 'POST',
    url: '/api/collections/users/confirm-password-reset',
    before: async (t) => {
      await resetToken(t);
    },
    body: (t) => ({ token: t.vars.token, password: NEW_PASSWORD, passwordConfirm: NEW_PASSWORD }),
    expectStatus: 204,
    after: async (t) => {
      const record = await t.su.expectOk<{ verified: boolean }>('GET', `/api/collections/users/records/${t.vars.id}`);
      assert.equal(record.verified, true);
    },
  },
  {
    name: 'passwordConfirm mismatch: 400 on passwordConfirm, password unchanged',
    method: 'POST',
    url: '/api/collections/users/confirm-password-reset',
    before: async (t) => {
      const user = await resetToken(t);
      t.vars.oldPassword = user.password;
    },
    body: (t) => ({ token: t.vars.token, password: NEW_PASSWORD, passwordConfirm: 'Something-Else-1' }),
    expectStatus: 400,
    expectBody: { data: { passwordConfirm: { code: 'validation_values_mismatch' } } },
    after: async (t) => assert.equal(await loginStatus(t, t.vars.email, t.vars.oldPassword), 200),
  },
  {
    name: 'too short password: 400 on password',
    method: 'POST',
    url: '/api/collections/users/confirm-password-reset',
    before: async (t) => {
      await resetToken(t);
    },
    body: (t) => ({ token: t.vars.token, password: 'short', passwordConfirm: 'short' }),
    expectStatus: 400,
    expectBody: { data: { password: { code: 'validation_min_text_constraint' } } },
  },
  {
    name: 'missing fields: 400 validation_required',
    method: 'POST',
    url: '/api/collections/users/confirm-password-reset',
    body: {},
    expectStatus: 400,
    expectBody: {
      data: { password: { code: 'validation_required' }, passwordConfirm: { code: 'validation_required' } },
    },
  },
  {
    name: 'invalid token: 400 validation_invalid_token',
    method: 'POST',
    url: '/api/collections/users/confirm-password-reset',
    body: {
      token: 'eyJhbGciOiJIUzI1NiJ9.eyJpZCI6IngifQ.c2lnbmF0dXJl',
      password: NEW_PASSWORD,
      passwordConfirm: NEW_PASSWORD,
    },
    expectStatus: 400,
    expectBody: { data: { token: { code: 'validation_invalid_token' } } },
  },
  {
    name: 'a verification token is not a reset token: 400',
    method: 'POST',
    url: '/api/collections/users/confirm-password-reset',
    before: async (t) => {
      await smtp.configure(t);
      const user = await t.makeUser();
      t.vars.email = user.email;
      t.vars.oldPassword = user.password;
      await t.request('POST', '/api/collections/users/request-verification', { body: { email: user.email } });
      t.vars.token = tokenFromMail(await smtp.waitForMail(user.email));
    },
    body: (t) => ({ token: t.vars.token, password: NEW_PASSWORD, passwordConfirm: NEW_PASSWORD }),
    expectStatus: 400,
    expectBody: { data: { token: { code: 'validation_invalid_token' } } },
    after: async (t) => assert.equal(await loginStatus(t, t.vars.email, t.vars.oldPassword), 200),
  },
  {
    name: 'a token for another user cannot be redirected by editing its claims',
    method: 'POST',
    url: '/api/collections/users/confirm-password-reset',
    before: async (t) => {
      const victim = await t.makeUser();
      t.vars.victimEmail = victim.email;
      t.vars.victimPassword = victim.password;
      await resetToken(t);
      const [h, p, s] = t.vars.token.split('.');
      const claims = { ...JSON.parse(Buffer.from(p, 'base64url').toString()), id: victim.record.id };
      t.vars.token = [h, Buffer.from(JSON.stringify(claims)).toString('base64url'), s].join('.');
    },
    body: (t) => ({ token: t.vars.token, password: NEW_PASSWORD, passwordConfirm: NEW_PASSWORD }),
    expectStatus: 400,
    expectBody: { data: { token: { code: 'validation_invalid_token' } } },
    after: async (t) => assert.equal(await loginStatus(t, t.vars.victimEmail, t.vars.victimPassword), 200),
  },
  {
    name: 'the new password logs in through the helper too (token of the new session works)',
    method: 'GET',
    url: (t) => `/api/collections/users/records/${t.vars.id}`,
    before: async (t) => {
      await resetToken(t);
      const res = await t.request('POST', '/api/collections/users/confirm-password-reset', {
        body: { token: t.vars.token, password: NEW_PASSWORD, passwordConfirm: NEW_PASSWORD },
      });
      assert.equal(res.status, 204, res.text);
      t.auth(await tokenFor(t.http, 'users', t.vars.email, NEW_PASSWORD));
    },
    expectStatus: 200,
    expectBody: (t) => ({ id: t.vars.id, email: t.vars.email }),
    expectNotContains: ['tokenKey', '"password"'],
  },
]);
