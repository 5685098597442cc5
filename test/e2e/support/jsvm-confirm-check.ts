// The confirm and OTP sign-in hooks of support/jsvm-split-files.ts (onRecordConfirmPasswordReset/Verification/
// EmailChangeRequest, onRecordAuthWithOTPRequest on `users`), checked through the HTTP API with the tokens of real mails (an SMTP server this test starts):
// standalone (hooks-jsvm-split) and the distributed set's auth service (test/distributed/hooks.e2e-spec.ts).
import assert from 'node:assert/strict';

import { DEFAULT_PASSWORD, HttpClient, makeUserInput, tokenFor, uniqueEmail } from '@lib/testing';

import { SmtpCatcher, tokenFromMail } from './smtp-catcher';

const NEW_PASSWORD = 'Brand-New-Passw0rd';
type Stored = { email: string; name: string; verified: boolean };
type Res = { status: number; text: string; json<T>(): T };

/**
 * Each confirm hook refuses by the record (or the new email) it got, with nothing changed; others go through. The OTP
 * hook refuses a sign-in or changes the record answered, saved when the sign-in verifies the record.
 */
export async function confirmHooksCheck(baseUrl: string, su: string): Promise<void> {
  const http = new HttpClient(baseUrl);
  const call = (method: 'GET' | 'POST' | 'PATCH', url: string, body?: unknown, token = '') =>
    http.request(method, url, { body, token });
  const smtp = await SmtpCatcher.start();
  const smtpSettings = (enabled: boolean) => ({ smtp: { enabled, host: '127.0.0.1', port: smtp.port, tls: false } });
  try {
    assert.equal((await call('PATCH', '/api/settings', smtpSettings(true), su)).status, 200);
    const user = async (prefix: string) => {
      const email = uniqueEmail(prefix);
      const made = await call('POST', '/api/collections/users/records', makeUserInput({ email }));
      assert.equal(made.status, 200, made.text);
      // a guest's answer has no email (not visible): the one given
      return { id: made.json<{ id: string }>().id, email };
    };
    const tokenBy = async (flow: string, body: Record<string, unknown>, to: string, token = '') => {
      const res = await call('POST', `/api/collections/users/${flow}`, body, token);
      assert.equal(res.status, 204, res.text);
      return tokenFromMail(await smtp.waitForMail(to));
    };
    const refused = (res: Res, message: string) => {
      assert.equal(res.status, 400, res.text);
      assert.equal(res.json<{ message: string }>().message, message);
    };
    const stored = async (id: string) =>
      (await call('GET', `/api/collections/users/records/${id}`, undefined, su)).json<Stored>();
    const pick = ({ name, verified }: Stored) => ({ name, verified });
    // password reset
    const reset = (token: string) =>
      call('POST', '/api/collections/users/confirm-password-reset', {
        token,
        password: NEW_PASSWORD,
        passwordConfirm: NEW_PASSWORD,
      });
    const keep = await user('keeppw');
    refused(
      await reset(await tokenBy('request-password-reset', { email: keep.email }, keep.email)),
      `The password of ${keep.email} in users stays.`,
    );
    await tokenFor(http, 'users', keep.email, DEFAULT_PASSWORD);
    const resetMe = await user('resetme');
    const done = await reset(await tokenBy('request-password-reset', { email: resetMe.email }, resetMe.email));
    assert.equal(done.status, 204, done.text);
    await tokenFor(http, 'users', resetMe.email, NEW_PASSWORD);
    // verification
    const verify = (token: string) => call('POST', '/api/collections/users/confirm-verification', { token });
    const stay = await user('unverified');
    refused(
      await verify(await tokenBy('request-verification', { email: stay.email }, stay.email)),
      `No verification for ${stay.email}.`,
    );
    assert.equal((await stored(stay.id)).verified, false);
    const verifyMe = await user('verifyme');
    const verified = await verify(await tokenBy('request-verification', { email: verifyMe.email }, verifyMe.email));
    assert.equal(verified.status, 204, verified.text);
    assert.equal((await stored(verifyMe.id)).verified, true);
    // email change
    const changer = await user('changer');
    const auth = await tokenFor(http, 'users', changer.email, DEFAULT_PASSWORD);
    const change = async (newEmail: string) => {
      const token = await tokenBy('request-email-change', { newEmail }, newEmail, auth);
      return call('POST', '/api/collections/users/confirm-email-change', { token, password: DEFAULT_PASSWORD });
    };
    const nope = uniqueEmail('nope');
    refused(await change(nope), `Not to ${nope} for ${changer.email}.`);
    assert.equal((await stored(changer.id)).email, changer.email);
    const fine = uniqueEmail('newaddr');
    assert.equal((await change(fine)).status, 204);
    assert.equal((await stored(changer.id)).email, fine);
    // OTP sign-in: the hook gets the record and the OTP once the code matched; refuses, or changes the answer
    const otpCollection = await call('PATCH', '/api/collections/users', { otp: { enabled: true } }, su);
    assert.equal(otpCollection.status, 200, otpCollection.text);
    const otpSignIn = async (email: string) => {
      const asked = await call('POST', '/api/collections/users/request-otp', { email });
      assert.equal(asked.status, 200, asked.text);
      const code = /<strong>(\d+)<\/strong>/.exec((await smtp.waitForMail(email)).html)?.[1];
      const body = { otpId: asked.json<{ otpId: string }>().otpId, password: code };
      return call('POST', '/api/collections/users/auth-with-otp', body);
    };
    const noOtp = await user('nootp');
    const noOtpRes = await otpSignIn(noOtp.email);
    assert.equal(noOtpRes.status, 403, noOtpRes.text);
    assert.equal(
      noOtpRes.json<{ message: string }>().message,
      `No OTP sign-in for ${noOtp.email} (code sent to ${noOtp.email}).`,
    );
    // an unverified record the code verifies is saved with the hook's change (as PocketBase saves e.record then)
    const otpUser = await user('otpuser');
    const signedIn = await otpSignIn(otpUser.email);
    assert.equal(signedIn.status, 200, signedIn.text);
    assert.deepEqual(pick(signedIn.json<{ record: Stored }>().record), {
      name: `otp ${otpUser.email}`,
      verified: true,
    });
    assert.deepEqual(pick(await stored(otpUser.id)), { name: `otp ${otpUser.email}`, verified: true });
    // a verified one is not written: the change is only in the answer
    const verifiedUser = await user('otpkept');
    assert.equal(
      (await call('PATCH', `/api/collections/users/records/${verifiedUser.id}`, { verified: true }, su)).status,
      200,
    );
    const kept = await otpSignIn(verifiedUser.email);
    assert.equal(kept.status, 200, kept.text);
    assert.equal(kept.json<{ record: { name: string } }>().record.name, `otp ${verifiedUser.email}`);
    assert.deepEqual(pick(await stored(verifiedUser.id)), { name: '', verified: true });
  } finally {
    await call('PATCH', '/api/collections/users', { otp: { enabled: false } }, su);
    await call('PATCH', '/api/settings', smtpSettings(false), su);
    await smtp.stop();
  }
}
