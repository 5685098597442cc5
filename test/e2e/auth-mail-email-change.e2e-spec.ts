// request-email-change / confirm-email-change over HTTP with a real SMTP server: the confirmation
// goes to the new address, and confirming with the current password switches the email.
import assert from 'node:assert/strict';
import { after, before } from 'node:test';

import { runScenarios, ScenarioContext, TestUser, uniqueEmail } from '@lib/testing';

import { jwtClaims } from './support/jwt-claims';
import { SmtpCatcher, tokenFromMail } from './support/smtp-catcher';

let smtp: SmtpCatcher;

before(async () => {
  smtp = await SmtpCatcher.start();
});

after(async () => {
  await smtp?.stop();
});

/** A user that asked to move to a new address; the mail's token is in t.vars.token. */
async function changeToken(t: ScenarioContext): Promise<TestUser> {
  await smtp.configure(t);
  const user = await t.makeUser();
  t.vars.newEmail = uniqueEmail('moved');
  const res = await t.request('POST', '/api/collections/users/request-email-change', {
    body: { newEmail: t.vars.newEmail },
    token: user.token,
  });
  assert.equal(res.status, 204, res.text);
  t.vars.token = tokenFromMail(await smtp.waitForMail(t.vars.newEmail));
  t.vars.id = user.record.id;
  t.vars.email = user.email;
  t.vars.password = user.password;
  t.vars.authToken = user.token;
  return user;
}

async function emailOf(t: ScenarioContext, id: string): Promise<{ email: string; verified: boolean }> {
  return t.su.expectOk('GET', `/api/collections/users/records/${id}`);
}

runScenarios('POST /api/collections/:c/request-email-change', [
  {
    name: 'own record: 204 and a confirmation mail to the new address only',
    method: 'POST',
    url: '/api/collections/users/request-email-change',
    before: async (t) => {
      await smtp.configure(t);
      const user = await t.makeUser();
      t.auth(user);
      t.vars.email = user.email;
      t.vars.id = user.record.id;
      t.vars.newEmail = uniqueEmail('new');
    },
    body: (t) => ({ newEmail: t.vars.newEmail }),
    expectStatus: 204,
    after: async (t) => {
      const mail = await smtp.waitForMail(t.vars.newEmail);
      assert.equal(mail.subject, 'Confirm your NestbaseTest new email address');
      const token = tokenFromMail(mail);
      assert.ok(mail.html.includes(`http://app.test/_/#/auth/confirm-email-change/${token}`), mail.html);
      const claims = jwtClaims(token);
      assert.equal(claims.type, 'emailChange');
      assert.equal(claims.id, t.vars.id);
      assert.equal(claims.email, t.vars.email);
      assert.equal(claims.newEmail, t.vars.newEmail);
      await smtp.expectMailCount(t, t.vars.email, 0);
      assert.equal((await emailOf(t, t.vars.id)).email, t.vars.email, 'nothing changes before the confirmation');
    },
  },
  {
    name: 'guest: 401',
    method: 'POST',
    url: '/api/collections/users/request-email-change',
    auth: 'guest',
    body: { newEmail: 'x@example.com' },
    expectStatus: 401,
    expectBody: { status: 401, data: {} },
  },
  {
    name: 'auth record of another collection (superuser): 403',
    method: 'POST',
    url: '/api/collections/users/request-email-change',
    auth: 'superuser',
    body: { newEmail: 'x@example.com' },
    expectStatus: 403,
  },
  {
    name: 'auth record of another auth collection: 403',
    method: 'POST',
    url: '/api/collections/users/request-email-change',
    before: async (t) => {
      await t.createCollection({ name: 'members', type: 'auth', fields: [] });
      t.auth(await t.makeUser({}, 'members'));
    },
    body: { newEmail: 'x@example.com' },
    expectStatus: 403,
  },
  {
    name: 'the email of another user: 400 validation_invalid_new_email',
    method: 'POST',
    url: '/api/collections/users/request-email-change',
    before: async (t) => {
      t.vars.taken = (await t.makeUser()).email;
      t.auth(await t.makeUser());
    },
    body: (t) => ({ newEmail: t.vars.taken }),
    expectStatus: 400,
    expectBody: { data: { newEmail: { code: 'validation_invalid_new_email' } } },
  },
  {
    name: 'the current email: 400 validation_invalid_new_email',
    method: 'POST',
    url: '/api/collections/users/request-email-change',
    before: async (t) => {
      const user = await t.makeUser();
      t.vars.email = user.email;
      t.auth(user);
    },
    body: (t) => ({ newEmail: t.vars.email }),
    expectStatus: 400,
    expectBody: { data: { newEmail: { code: 'validation_invalid_new_email' } } },
  },
  {
    name: 'malformed / missing newEmail: 400',
    method: 'POST',
    url: '/api/collections/users/request-email-change',
    before: async (t) => t.auth(await t.makeUser()),
    body: { newEmail: 'not an email' },
    expectStatus: 400,
    expectBody: { data: { newEmail: { code: 'validation_is_email' } } },
  },
  {
    name: 'missing newEmail: 400 validation_required',
    method: 'POST',
    url: '/api/collections/users/request-email-change',
    before: async (t) => t.auth(await t.makeUser()),
    body: {},
    expectStatus: 400,
    expectBody: { data: { newEmail: { code: 'validation_required' } } },
  },
]);

runScenarios('POST /api/collections/:c/confirm-email-change', [
  {
    name: 'token + current password: 204; email changed, verified, old auth token revoked',
    method: 'POST',
    url: '/api/collections/users/confirm-email-change',
    before: async (t) => {
      await changeToken(t);
    },
    body: (t) => ({ token: t.vars.token, password: t.vars.password }),
    expectStatus: 204,
    after: async (t) => {
      assert.deepEqual(await emailOf(t, t.vars.id).then((r) => ({ email: r.email, verified: r.verified })), {
        email: t.vars.newEmail,
        verified: true,
      });
      const refresh = await t.request('POST', '/api/collections/users/auth-refresh', { token: t.vars.authToken });
      assert.equal(refresh.status, 401);
      const login = await t.request('POST', '/api/collections/users/auth-with-password', {
        body: { identity: t.vars.newEmail, password: t.vars.password },
      });
      assert.equal(login.status, 200);
      const reuse = await t.request('POST', '/api/collections/users/confirm-email-change', {
        body: { token: t.vars.token, password: t.vars.password },
      });
      assert.equal(reuse.status, 400, 'the token is single-use (tokenKey rotated)');
    },
  },
  {
    name: 'wrong password: 400 validation_invalid_password, email unchanged',
    method: 'POST',
    url: '/api/collections/users/confirm-email-change',
    before: async (t) => {
      await changeToken(t);
    },
    body: (t) => ({ token: t.vars.token, password: 'Wrong-Passw0rd-9' }),
    expectStatus: 400,
    expectBody: { data: { password: { code: 'validation_invalid_password' } } },
    after: async (t) => assert.equal((await emailOf(t, t.vars.id)).email, t.vars.email),
  },
  {
    name: 'the new address was taken meanwhile: 400, email unchanged',
    method: 'POST',
    url: '/api/collections/users/confirm-email-change',
    before: async (t) => {
      await changeToken(t);
      await t.makeUser({ email: t.vars.newEmail });
    },
    body: (t) => ({ token: t.vars.token, password: t.vars.password }),
    expectStatus: 400,
    expectBody: { data: { token: { code: 'validation_existing_token_email' } } },
    after: async (t) => assert.equal((await emailOf(t, t.vars.id)).email, t.vars.email),
  },
  {
    name: 'invalid token: 400 validation_invalid_token',
    method: 'POST',
    url: '/api/collections/users/confirm-email-change',
    body: { token: 'a.b.c', password: 'whatever-1234' },
    expectStatus: 400,
    expectBody: { data: { token: { code: 'validation_invalid_token' } } },
  },
  {
    name: 'a password-reset token is not an email-change token: 400',
    method: 'POST',
    url: '/api/collections/users/confirm-email-change',
    before: async (t) => {
      await smtp.configure(t);
      const user = await t.makeUser();
      t.vars.password = user.password;
      await t.request('POST', '/api/collections/users/request-password-reset', { body: { email: user.email } });
      t.vars.token = tokenFromMail(await smtp.waitForMail(user.email));
    },
    body: (t) => ({ token: t.vars.token, password: t.vars.password }),
    expectStatus: 400,
    expectBody: { data: { token: { code: 'validation_invalid_token' } } },
  },
  {
    name: 'missing password: 400 validation_required',
    method: 'POST',
    url: '/api/collections/users/confirm-email-change',
    before: async (t) => {
      await changeToken(t);
    },
    body: (t) => ({ token: t.vars.token }),
    expectStatus: 400,
    expectBody: { data: { password: { code: 'validation_required' } } },
  },
]);
