// Superuser sign-in with a one-time code (OTP) and with MFA (password, then a mailed code) in Chromium against
// a real `nestbase serve` whose mail goes to a local SMTP catcher.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { TEST_CEILING_MS } from '@lib/testing';
import type { Page } from 'playwright-core';
import { SmtpCatcher } from '../e2e/support/smtp-catcher';
import { eventually, openPage, screenshot } from './support/browser';
import { startRig, type Rig } from './support/rig';

const SU = { email: 'signin-admin@example.com', password: 'Admin-Passw0rd-1' };

void describe('dashboard sign-in with OTP and MFA in Chromium', { timeout: TEST_CEILING_MS }, () => {
  let rig: Rig;
  let smtp: SmtpCatcher;

  /** The code of the next OTP mail to the superuser (after `seen` of them). */
  async function nextCode(seen: number): Promise<string> {
    const otpMails = () => smtp.mailsTo(SU.email).filter((m) => /one-time password/i.test(m.html));
    await eventually(async () => otpMails().length > seen, 'the OTP mail');
    const code = /<strong>(\d+)<\/strong>/.exec(otpMails()[seen].html)?.[1];
    assert.ok(code, otpMails()[seen].html);
    return code;
  }

  async function signedIn(page: Page): Promise<void> {
    await page.getByRole('navigation', { name: 'Main' }).waitFor();
    assert.match(page.url(), /#\/collections/);
  }

  before(async () => {
    smtp = await SmtpCatcher.start();
    rig = await startRig('dashboard-signin', SU);
    await rig.api.ok('PATCH', '/api/settings', {
      smtp: { enabled: true, host: '127.0.0.1', port: smtp.port, tls: false, username: '' },
      meta: { appURL: rig.server.baseUrl, senderAddress: 'no-reply@example.com' },
    });
  });

  after(async () => {
    await rig?.stop();
    await smtp?.stop();
  });

  void it('OTP: a mailed code signs in', async () => {
    await rig.api.ok('PATCH', '/api/collections/_superusers', { otp: { enabled: true } });
    const { page, context, errors } = await openPage(rig.browser);
    await page.goto(`${rig.server.baseUrl}/_/#/login`);
    await page.getByRole('button', { name: 'Login with a one-time code' }).click();
    await page.getByLabel('Email').fill(SU.email);
    await page.getByRole('button', { name: 'Send code' }).click();
    const code = await nextCode(0);
    await page.getByLabel('One-time code').fill('00000000');
    await page.getByRole('button', { name: 'Login', exact: true }).click();
    await page.getByRole('alert').waitFor();
    await page.getByLabel('One-time code').fill(code);
    await page.getByRole('button', { name: 'Login', exact: true }).click();
    await signedIn(page);
    assert.deepEqual(errors, []);
    await context.close();
  });

  void it('MFA: the password, then a mailed code', async () => {
    await rig.api.ok('PATCH', '/api/collections/_superusers', { mfa: { enabled: true } });
    const seen = smtp.mailsTo(SU.email).filter((m) => /one-time password/i.test(m.html)).length;
    const { page, context, errors } = await openPage(rig.browser);
    await page.goto(`${rig.server.baseUrl}/_/#/login`);
    await page.getByLabel('Email').fill(SU.email);
    await page.getByLabel('Password').fill(SU.password);
    await page.getByRole('button', { name: 'Login', exact: true }).click();
    await page.getByText(`A second factor is required: enter the code sent to ${SU.email}.`).waitFor();
    await screenshot(page, '25-mfa-code');
    await page.getByLabel('One-time code').fill(await nextCode(seen));
    await page.getByRole('button', { name: 'Login', exact: true }).click();
    await signedIn(page);
    assert.deepEqual(errors, []);
    await context.close();
  });
});
