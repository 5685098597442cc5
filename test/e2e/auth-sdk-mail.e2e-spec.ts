// The official JS SDK (`pocketbase` 0.28) through the mail flows, impersonation and listAuthMethods,
// against one real server and a real SMTP server; tokens are followed from the captured mails.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import PocketBase, { ClientResponseError } from 'pocketbase';

import {
  DEFAULT_PASSWORD,
  HttpClient,
  RunningServer,
  startTestServer,
  SuperuserClient,
  tokenFor,
  uniqueEmail,
} from '@lib/testing';

import { jwtClaims } from './support/jwt-claims';
import { SmtpCatcher, tokenFromMail } from './support/smtp-catcher';

const NEW_PASSWORD = 'Sdk-New-Passw0rd!';

let server: RunningServer | undefined;
let smtp: SmtpCatcher;
let admin: PocketBase;
/** For the mail queue's count (smtp.expectMailCount). */
let su: SuperuserClient;

function client(): PocketBase {
  assert.ok(server, 'server not started');
  const pb = new PocketBase(server.baseUrl);
  pb.autoCancellation(false);
  return pb;
}

/** Registers a user and returns a client logged in as it. */
async function loggedInUser(): Promise<{ pb: PocketBase; id: string; email: string }> {
  const email = uniqueEmail('sdkmail');
  const created = await client()
    .collection('users')
    .create({ email, password: DEFAULT_PASSWORD, passwordConfirm: DEFAULT_PASSWORD });
  const pb = client();
  await pb.collection('users').authWithPassword(email, DEFAULT_PASSWORD);
  return { pb, id: created.id, email };
}

async function rejectsWith(promise: Promise<unknown>, status: number, field?: string, code?: string): Promise<void> {
  await assert.rejects(promise, (err: unknown) => {
    assert.ok(err instanceof ClientResponseError, `expected ClientResponseError, got ${String(err)}`);
    assert.equal(err.status, status, JSON.stringify(err.response));
    if (field) {
      assert.equal(
        (err.response.data as Record<string, { code: string }>)[field]?.code,
        code,
        JSON.stringify(err.response),
      );
    }
    return true;
  });
}

void describe('JS SDK: auth mail flows, impersonation, auth methods', () => {
  before(async () => {
    smtp = await SmtpCatcher.start();
    server = await startTestServer(process.env);
    const http = new HttpClient(server.baseUrl);
    const token = await tokenFor(http, '_superusers', server.superuserEmail, server.superuserPassword);
    const res = await http.request('PATCH', '/api/settings', {
      token,
      body: {
        smtp: { enabled: true, host: '127.0.0.1', port: smtp.port, tls: false },
        meta: { appName: 'SdkTest', appURL: 'http://sdk.test' },
      },
    });
    assert.equal(res.status, 200, res.text);
    su = new SuperuserClient(http, token);
    admin = client();
    await admin.collection('_superusers').authWithPassword(server.superuserEmail, server.superuserPassword);
  });

  after(async () => {
    await server?.stop();
    await smtp?.stop();
  });

  void it('listAuthMethods', async () => {
    const methods = await client().collection('users').listAuthMethods();
    assert.deepEqual(methods.password, { enabled: true, identityFields: ['email'] });
    assert.deepEqual(methods.oauth2, { enabled: false, providers: [] });
    assert.deepEqual(methods.mfa, { enabled: false, duration: 0 });
    assert.deepEqual(methods.otp, { enabled: false, duration: 0 });
    assert.equal(
      (methods as unknown as Record<string, unknown>).emailPassword,
      undefined,
      'the SDK asks for 4 fields only',
    );
    await rejectsWith(client().collection('_authOrigins').listAuthMethods(), 404);
  });

  void it('requestVerification + confirmVerification (the auth store record becomes verified)', async () => {
    const { pb, email, id } = await loggedInUser();
    assert.equal(pb.authStore.record?.verified, false);
    assert.equal(await client().collection('users').requestVerification(email), true);
    const mail = await smtp.waitForMail(email);
    assert.equal(mail.subject, 'Verify your SdkTest email');
    const token = tokenFromMail(mail);
    assert.equal(await pb.collection('users').confirmVerification(token), true);
    assert.equal(pb.authStore.record?.verified, true);
    assert.equal((await admin.collection('users').getOne(id)).verified, true);
    await rejectsWith(
      client().collection('users').confirmVerification('bad.token.value'),
      400,
      'token',
      'validation_invalid_token',
    );
    // unknown emails answer the same
    assert.equal(await client().collection('users').requestVerification(uniqueEmail('ghost')), true);
  });

  void it('requestPasswordReset + confirmPasswordReset (the old session stops working)', async () => {
    const { pb, email } = await loggedInUser();
    assert.equal(await client().collection('users').requestPasswordReset(email), true);
    const token = tokenFromMail(await smtp.waitForMail(email));
    assert.equal(jwtClaims(token).type, 'passwordReset');
    await rejectsWith(
      client().collection('users').confirmPasswordReset(token, NEW_PASSWORD, 'mismatch-123'),
      400,
      'passwordConfirm',
      'validation_values_mismatch',
    );
    assert.equal(await client().collection('users').confirmPasswordReset(token, NEW_PASSWORD, NEW_PASSWORD), true);
    await rejectsWith(pb.collection('users').authRefresh(), 401);
    await rejectsWith(client().collection('users').authWithPassword(email, DEFAULT_PASSWORD), 400);
    const fresh = await client().collection('users').authWithPassword(email, NEW_PASSWORD);
    assert.equal(fresh.record.email, email);
    assert.equal(fresh.record.verified, true, 'confirming a reset mailed to the current email verifies');
  });

  void it('requestEmailChange + confirmEmailChange (the SDK clears its auth store)', async () => {
    const { pb, email, id } = await loggedInUser();
    const newEmail = uniqueEmail('sdknew');
    await rejectsWith(client().collection('users').requestEmailChange(newEmail), 401);
    assert.equal(await pb.collection('users').requestEmailChange(newEmail), true);
    const mail = await smtp.waitForMail(newEmail);
    assert.equal(mail.subject, 'Confirm your SdkTest new email address');
    await smtp.expectMailCount({ su }, email, 0);
    const token = tokenFromMail(mail);
    await rejectsWith(
      pb.collection('users').confirmEmailChange(token, 'Wrong-Passw0rd'),
      400,
      'password',
      'validation_invalid_password',
    );
    assert.equal(await pb.collection('users').confirmEmailChange(token, DEFAULT_PASSWORD), true);
    assert.equal(pb.authStore.isValid, false);
    const again = await client().collection('users').authWithPassword(newEmail, DEFAULT_PASSWORD);
    assert.equal(again.record.id, id);
    assert.equal(again.record.email, newEmail);
    assert.equal(again.record.verified, true);
  });

  void it('impersonate: a client authenticated as the user with a non-refreshable token', async () => {
    const { id, email } = await loggedInUser();
    const asked = Date.now() / 1000;
    const impersonated = await admin.collection('users').impersonate(id, 600);
    const answered = Date.now() / 1000;
    assert.equal(impersonated.authStore.isValid, true);
    assert.equal(impersonated.authStore.isSuperuser, false);
    assert.equal(impersonated.authStore.record?.id, id);
    assert.equal(impersonated.authStore.record?.email, email);
    const claims = jwtClaims(impersonated.authStore.token);
    assert.equal(claims.refreshable, false);
    // Issued between the request and the answer (however long that took), for 600 s; 1 s for rounding.
    const exp = Number(claims.exp);
    assert.ok(exp >= Math.floor(asked) + 600 - 1 && exp <= answered + 600 + 1, `exp ${exp}: not 600 s after issue`);
    assert.equal((await impersonated.collection('users').getOne(id)).id, id);
    const { pb } = await loggedInUser();
    await rejectsWith(pb.collection('users').impersonate(id, 600), 403);
    await rejectsWith(admin.collection('users').impersonate('aaaaaaaaaaaaaaa', 600), 404);
  });
});
