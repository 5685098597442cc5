// The official JS SDK (`pocketbase` 0.28) against OTP, MFA and the login rate limit: requestOTP,
// authWithOTP, authWithPassword answering 401 {mfaId} and the second factor with {mfaId}.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import PocketBase, { ClientResponseError } from 'pocketbase';

import { DEFAULT_PASSWORD, RunningServer, startTestServer, uniqueEmail, uniqueSuffix } from '@lib/testing';

import { codeFromMail } from './auth-otp-helpers';
import { SmtpCatcher } from './support/smtp-catcher';

let server: RunningServer | undefined;
let smtp: SmtpCatcher | undefined;
let admin: PocketBase;

function client(): PocketBase {
  assert.ok(server, 'server not started');
  const pb = new PocketBase(server.baseUrl);
  pb.autoCancellation(false);
  return pb;
}

/** A fresh auth collection (password + OTP, MFA as asked) and a verified user in it. */
async function collectionWithUser(mfa: boolean): Promise<{ name: string; email: string }> {
  const name = `sdk_otp_${uniqueSuffix()}`;
  await admin.collections.create({ name, type: 'auth', otp: { enabled: true, length: 6 }, mfa: { enabled: mfa } });
  const email = uniqueEmail('sdk');
  await admin
    .collection(name)
    .create({ email, password: DEFAULT_PASSWORD, passwordConfirm: DEFAULT_PASSWORD, verified: true });
  return { name, email };
}

async function otp(pb: PocketBase, collection: string, email: string): Promise<{ otpId: string; code: string }> {
  assert.ok(smtp);
  const before = smtp.mailsTo(email).length;
  const { otpId } = await pb.collection(collection).requestOTP(email);
  return { otpId, code: codeFromMail(await smtp.waitForMail(email, before + 1)) };
}

async function mfaIdOf(promise: Promise<unknown>): Promise<string> {
  let mfaId = '';
  await assert.rejects(promise, (err: unknown) => {
    assert.ok(err instanceof ClientResponseError, `expected ClientResponseError, got ${String(err)}`);
    assert.equal(err.status, 401, JSON.stringify(err.response));
    mfaId = String(err.response.mfaId);
    return true;
  });
  assert.match(mfaId, /^[a-z0-9]{15}$/);
  return mfaId;
}

void describe('JS SDK: OTP and MFA', () => {
  before(async () => {
    smtp = await SmtpCatcher.start();
    server = await startTestServer(process.env);
    admin = client();
    await admin.collection('_superusers').authWithPassword(server.superuserEmail, server.superuserPassword);
    await admin.settings.update({
      smtp: { enabled: true, host: '127.0.0.1', port: smtp.port, tls: false, username: '' },
    });
  });

  after(async () => {
    await server?.stop();
    await smtp?.stop();
  });

  void it('requestOTP + authWithOTP log in', async () => {
    const { name, email } = await collectionWithUser(false);
    const pb = client();
    const { otpId, code } = await otp(pb, name, email);
    const auth = await pb.collection(name).authWithOTP(otpId, code);
    assert.equal(auth.record.email, email);
    assert.ok(pb.authStore.isValid);
    assert.equal(pb.authStore.record?.id, auth.record.id);
  });

  void it('requestOTP for an unknown email still resolves with an otpId', async () => {
    const { name } = await collectionWithUser(false);
    const { otpId } = await client().collection(name).requestOTP(uniqueEmail('nobody'));
    assert.match(otpId, /^[a-z0-9]{15}$/);
  });

  void it('authWithOTP with a wrong code rejects with 400', async () => {
    const { name, email } = await collectionWithUser(false);
    const pb = client();
    const { otpId, code } = await otp(pb, name, email);
    await assert.rejects(
      pb.collection(name).authWithOTP(otpId, code === '000000' ? '111111' : '000000'),
      (err: unknown) => {
        assert.ok(err instanceof ClientResponseError);
        assert.equal(err.status, 400);
        assert.equal(err.message, 'Invalid or expired OTP');
        return true;
      },
    );
    assert.equal(pb.authStore.isValid, false);
  });

  void it('MFA: authWithPassword → 401 mfaId, then authWithOTP(..., {mfaId}) logs in', async () => {
    const { name, email } = await collectionWithUser(true);
    const pb = client();
    const mfaId = await mfaIdOf(pb.collection(name).authWithPassword(email, DEFAULT_PASSWORD));
    assert.equal(pb.authStore.isValid, false);
    const { otpId, code } = await otp(pb, name, email);
    const auth = await pb.collection(name).authWithOTP(otpId, code, { mfaId });
    assert.equal(auth.record.email, email);
    assert.ok(pb.authStore.isValid);
  });

  void it('MFA: authWithOTP → 401 mfaId, then authWithPassword(..., {mfaId}) logs in', async () => {
    const { name, email } = await collectionWithUser(true);
    const pb = client();
    const { otpId, code } = await otp(pb, name, email);
    const mfaId = await mfaIdOf(pb.collection(name).authWithOTP(otpId, code));
    const auth = await pb.collection(name).authWithPassword(email, DEFAULT_PASSWORD, { mfaId });
    assert.equal(auth.record.email, email);
    assert.ok(pb.authStore.isValid);
  });

  void it('MFA: the same method twice rejects with 400', async () => {
    const { name, email } = await collectionWithUser(true);
    const pb = client();
    const mfaId = await mfaIdOf(pb.collection(name).authWithPassword(email, DEFAULT_PASSWORD));
    await assert.rejects(pb.collection(name).authWithPassword(email, DEFAULT_PASSWORD, { mfaId }), (err: unknown) => {
      assert.ok(err instanceof ClientResponseError);
      assert.equal(err.status, 400);
      assert.equal(err.message, 'A different authentication method is required.');
      return true;
    });
  });

  void it('brute force: the 11th login after 10 failures rejects with 429', async () => {
    const { name, email } = await collectionWithUser(false);
    const pb = client();
    for (let i = 0; i < 10; i += 1) {
      await assert.rejects(
        pb.collection(name).authWithPassword(email, 'wrong-password'),
        (err: unknown) => err instanceof ClientResponseError && err.status === 400,
      );
    }
    await assert.rejects(pb.collection(name).authWithPassword(email, DEFAULT_PASSWORD), (err: unknown) => {
      assert.ok(err instanceof ClientResponseError);
      assert.equal(err.status, 429);
      assert.equal(err.message, 'Too Many Requests.');
      return true;
    });
  });
});
