// POST /api/settings/test/email: a superuser sends one of a collection's templates to an address.
import assert from 'node:assert/strict';
import { after, before } from 'node:test';

import { freePort, matching, runScenarios, Scenario, uniqueEmail } from '@lib/testing';

import { SmtpCatcher } from './support/smtp-catcher';

let smtp: SmtpCatcher;

before(async () => {
  smtp = await SmtpCatcher.start();
});

after(async () => {
  await smtp?.stop();
});

const URL = '/api/settings/test/email';

function sends(template: string, collection: string | undefined, subject: string, bodyPart: RegExp): Scenario {
  return {
    name: `${template}${collection ? ` of ${collection}` : ' (default _superusers)'}: 204 and the mail arrives`,
    method: 'POST',
    url: URL,
    auth: 'superuser',
    before: async (t) => {
      await smtp.configure(t);
      t.vars.email = uniqueEmail('test');
    },
    body: (t) => ({ email: t.vars.email, template, ...(collection ? { collection } : {}) }),
    expectStatus: 204,
    after: async (t) => {
      const mail = await smtp.waitForMail(t.vars.email);
      assert.equal(mail.subject, subject);
      assert.match(mail.html, bodyPart);
      assert.equal(mail.from, 'no-reply@app.test');
    },
  };
}

runScenarios('POST /api/settings/test/email', [
  sends(
    'verification',
    undefined,
    'Verify your NestbaseTest email',
    /http:\/\/app\.test\/_\/#\/auth\/confirm-verification\/[\w-]+\.[\w-]+\.[\w-]+/,
  ),
  sends(
    'password-reset',
    'users',
    'Reset your NestbaseTest password',
    /confirm-password-reset\/[\w-]+\.[\w-]+\.[\w-]+/,
  ),
  sends(
    'email-change',
    'users',
    'Confirm your NestbaseTest new email address',
    /confirm-email-change\/[\w-]+\.[\w-]+\.[\w-]+/,
  ),
  sends('otp', 'users', 'OTP for NestbaseTest', /123456/),
  sends('login-alert', '_pb_users_auth_', 'Login from a new location', /new location/),
  {
    name: 'an SMTP server that refuses the connection: 400 with the reason, at once',
    method: 'POST',
    url: URL,
    auth: 'superuser',
    before: async (t) => {
      const closed = await freePort();
      await t.su.expectOk('PATCH', '/api/settings', {
        smtp: { enabled: true, host: '127.0.0.1', port: closed, tls: false, username: '' },
      });
    },
    body: { email: 'nobody@example.com', template: 'verification' },
    expectStatus: 400,
    expectBody: {
      status: 400,
      message: matching(/^Failed to send the test email\. Raw error: .*ECONNREFUSED/),
      data: {},
    },
  },
  {
    name: 'SMTP disabled: 400 saying so',
    method: 'POST',
    url: URL,
    auth: 'superuser',
    before: async (t) => {
      await t.su.expectOk('PATCH', '/api/settings', { smtp: { enabled: false } });
    },
    body: { email: 'nobody@example.com', template: 'otp' },
    expectStatus: 400,
    expectBody: { message: 'Failed to send the test email. Raw error: SMTP is disabled in the settings.' },
  },
  {
    name: 'unknown template: 400 on template',
    method: 'POST',
    url: URL,
    auth: 'superuser',
    body: { email: 'a@example.com', template: 'welcome' },
    expectStatus: 400,
    expectBody: { data: { template: { code: 'validation_in_invalid' } } },
  },
  {
    name: 'missing email and template: 400',
    method: 'POST',
    url: URL,
    auth: 'superuser',
    body: {},
    expectStatus: 400,
    expectBody: { data: { email: { code: 'validation_required' }, template: { code: 'validation_required' } } },
  },
  {
    name: 'malformed email: 400',
    method: 'POST',
    url: URL,
    auth: 'superuser',
    body: { email: 'nope', template: 'verification' },
    expectStatus: 400,
    expectBody: { data: { email: { code: 'validation_is_email' } } },
  },
  {
    name: 'unknown or non-auth collection: 400 on collection',
    method: 'POST',
    url: URL,
    auth: 'superuser',
    body: { email: 'a@example.com', template: 'verification', collection: '_authOrigins' },
    expectStatus: 400,
    expectBody: { data: { collection: { code: 'validation_invalid_value' } } },
  },
  {
    name: 'guest: 401',
    method: 'POST',
    url: URL,
    auth: 'guest',
    body: { email: 'a@example.com', template: 'verification' },
    expectStatus: 401,
  },
  {
    name: 'regular user: 403',
    method: 'POST',
    url: URL,
    before: async (t) => t.auth(await t.makeUser()),
    body: { email: 'a@example.com', template: 'verification' },
    expectStatus: 403,
  },
]);
