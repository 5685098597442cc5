// request-verification / confirm-verification over HTTP, with a real SMTP server catching the mails:
// the token is taken from the captured mail and the flow is completed through the API.
import assert from 'node:assert/strict';
import { after, before } from 'node:test';

import { any, runScenarios, ScenarioContext, text, uniqueEmail } from '@lib/testing';

import { jwtClaims } from './support/jwt-claims';
import { CapturedMail, SmtpCatcher, tokenFromMail } from './support/smtp-catcher';

let smtp: SmtpCatcher;

before(async () => {
  smtp = await SmtpCatcher.start();
});

after(async () => {
  await smtp?.stop();
});

const INVALID_TOKEN = { status: 400, data: { token: { code: 'validation_invalid_token' } } };

/** Registers an unverified user, asks for a verification mail and returns it with the user. */
async function verificationMail(
  t: ScenarioContext,
  collection = 'users',
): Promise<{ mail: CapturedMail; id: string; email: string }> {
  await smtp.configure(t);
  const user = await t.makeUser({}, collection);
  const res = await t.request('POST', `/api/collections/${t.col(collection)}/request-verification`, {
    body: { email: user.email },
  });
  assert.equal(res.status, 204, res.text);
  return { mail: await smtp.waitForMail(user.email), id: user.record.id, email: user.email };
}

async function verifiedFlag(t: ScenarioContext, collection: string, id: string): Promise<unknown> {
  return (await t.su.expectOk<Record<string, unknown>>('GET', `/api/collections/${collection}/records/${id}`)).verified;
}

runScenarios('POST /api/collections/:c/request-verification', [
  {
    name: 'unknown email: 204 and no mail',
    method: 'POST',
    url: '/api/collections/users/request-verification',
    before: async (t) => {
      await smtp.configure(t);
      t.vars.email = uniqueEmail('nobody');
    },
    body: (t) => ({ email: t.vars.email }),
    expectStatus: 204,
    after: async (t, res) => {
      assert.equal(res.text, '');
      await smtp.expectMailCount(t, t.vars.email, 0);
    },
  },
  {
    name: 'unverified user: mail from the verification template with a verification token',
    method: 'POST',
    url: '/api/collections/users/request-verification',
    before: async (t) => {
      await smtp.configure(t);
      const user = await t.makeUser();
      t.vars.email = user.email;
      t.vars.id = user.record.id;
    },
    body: (t) => ({ email: t.vars.email }),
    expectStatus: 204,
    after: async (t) => {
      const mail = await smtp.waitForMail(t.vars.email);
      assert.equal(mail.subject, 'Verify your NestbaseTest email');
      const token = tokenFromMail(mail);
      assert.ok(mail.html.includes(`http://app.test/_/#/auth/confirm-verification/${token}`), mail.html);
      const claims = jwtClaims(token);
      assert.deepEqual(
        { id: claims.id, type: claims.type, collectionId: claims.collectionId, email: claims.email },
        { id: t.vars.id, type: 'verification', collectionId: '_pb_users_auth_', email: t.vars.email },
      );
      assert.equal(typeof claims.exp, 'number');
    },
  },
  {
    name: 'already verified user: 204 and no mail',
    method: 'POST',
    url: '/api/collections/users/request-verification',
    before: async (t) => {
      await smtp.configure(t);
      t.vars.email = (await t.makeUser({ verified: true })).email;
    },
    body: (t) => ({ email: t.vars.email }),
    expectStatus: 204,
    after: async (t) => smtp.expectMailCount(t, t.vars.email, 0),
  },
  {
    name: 'a second request within 2 minutes sends no second mail',
    method: 'POST',
    url: '/api/collections/users/request-verification',
    before: async (t) => {
      const { email } = await verificationMail(t);
      t.vars.email = email;
    },
    body: (t) => ({ email: t.vars.email }),
    expectStatus: 204,
    after: async (t) => smtp.expectMailCount(t, t.vars.email, 1),
  },
  {
    name: 'custom collection template: {APP_NAME}, {APP_URL} and {RECORD:field} are filled',
    method: 'POST',
    url: (t) => `/api/collections/${t.col('members')}/request-verification`,
    before: async (t) => {
      await smtp.configure(t);
      await t.createCollection({
        name: 'members',
        type: 'auth',
        fields: [text('nick')],
        verificationTemplate: {
          subject: '{APP_NAME}: hello {RECORD:nick}',
          body: '<p>{RECORD:nick}, open {APP_URL}/verify?token={TOKEN}</p>',
        },
      });
      const user = await t.makeUser({ nick: '<Bob>' }, 'members');
      t.vars.email = user.email;
    },
    body: (t) => ({ email: t.vars.email }),
    expectStatus: 204,
    after: async (t) => {
      const mail = await smtp.waitForMail(t.vars.email);
      assert.equal(mail.subject, 'NestbaseTest: hello <Bob>');
      assert.match(mail.html, /&#60;Bob&#62;, open http:\/\/app\.test\/verify\?token=[\w-]+\.[\w-]+\.[\w-]+/);
    },
  },
  {
    name: 'missing email: 400 validation_required',
    method: 'POST',
    url: '/api/collections/users/request-verification',
    body: {},
    expectStatus: 400,
    expectBody: { status: 400, data: { email: { code: 'validation_required' } } },
  },
  {
    name: 'malformed email: 400 validation_is_email',
    method: 'POST',
    url: '/api/collections/users/request-verification',
    body: { email: 'not-an-email' },
    expectStatus: 400,
    expectBody: { data: { email: { code: 'validation_is_email' } } },
  },
  {
    name: '_superusers: 400',
    method: 'POST',
    url: '/api/collections/_superusers/request-verification',
    body: { email: 'e2e-superuser@example.com' },
    expectStatus: 400,
    expectBody: { message: 'All superusers are verified by default.', data: {} },
  },
  {
    name: 'base collection: 404',
    method: 'POST',
    url: (t) => `/api/collections/${t.col('plain')}/request-verification`,
    before: async (t) => {
      await t.createCollection({ name: 'plain', type: 'base', fields: [text('title')] });
    },
    body: { email: 'a@example.com' },
    expectStatus: 404,
    expectBody: { message: 'Missing or invalid auth collection context.' },
  },
  {
    name: 'unknown collection: 404',
    method: 'POST',
    url: '/api/collections/nope_nope/request-verification',
    body: { email: 'a@example.com' },
    expectStatus: 404,
  },
]);

runScenarios('POST /api/collections/:c/confirm-verification', [
  {
    name: 'token from the mail: 204 and the user is verified',
    method: 'POST',
    url: '/api/collections/users/confirm-verification',
    before: async (t) => {
      const { mail, id } = await verificationMail(t);
      t.vars.token = tokenFromMail(mail);
      t.vars.id = id;
      assert.equal(await verifiedFlag(t, 'users', id), false);
    },
    body: (t) => ({ token: t.vars.token }),
    expectStatus: 204,
    after: async (t) => {
      assert.equal(await verifiedFlag(t, 'users', t.vars.id), true);
      // confirming again is a harmless no-op
      const again = await t.request('POST', '/api/collections/users/confirm-verification', {
        body: { token: t.vars.token },
      });
      assert.equal(again.status, 204);
    },
  },
  {
    name: 'the user stays logged in: the auth token still works after verification',
    method: 'POST',
    url: '/api/collections/users/auth-refresh',
    before: async (t) => {
      await smtp.configure(t);
      const user = await t.makeUser();
      await t.request('POST', '/api/collections/users/request-verification', { body: { email: user.email } });
      const token = tokenFromMail(await smtp.waitForMail(user.email));
      const res = await t.request('POST', '/api/collections/users/confirm-verification', { body: { token } });
      assert.equal(res.status, 204);
      t.auth(user);
    },
    expectStatus: 200,
    expectBody: { token: any(String), record: { verified: true } },
  },
  {
    name: 'garbage token: 400 validation_invalid_token',
    method: 'POST',
    url: '/api/collections/users/confirm-verification',
    body: { token: 'abc.def.ghi' },
    expectStatus: 400,
    expectBody: INVALID_TOKEN,
  },
  {
    name: 'missing token: 400 validation_required',
    method: 'POST',
    url: '/api/collections/users/confirm-verification',
    body: {},
    expectStatus: 400,
    expectBody: { data: { token: { code: 'validation_required' } } },
  },
  {
    name: 'an auth token is not a verification token: 400 validation_invalid_token',
    method: 'POST',
    url: '/api/collections/users/confirm-verification',
    before: async (t) => {
      t.vars.token = (await t.makeUser()).token;
    },
    body: (t) => ({ token: t.vars.token }),
    expectStatus: 400,
    expectBody: INVALID_TOKEN,
  },
  {
    name: 'a password-reset token is not a verification token: 400 validation_invalid_token',
    method: 'POST',
    url: '/api/collections/users/confirm-verification',
    before: async (t) => {
      await smtp.configure(t);
      const user = await t.makeUser();
      await t.request('POST', '/api/collections/users/request-password-reset', { body: { email: user.email } });
      t.vars.token = tokenFromMail(await smtp.waitForMail(user.email));
      t.vars.id = user.record.id;
    },
    body: (t) => ({ token: t.vars.token }),
    expectStatus: 400,
    expectBody: INVALID_TOKEN,
    after: async (t) => assert.equal(await verifiedFlag(t, 'users', t.vars.id), false),
  },
  {
    name: 'tampered token (payload changed, signature kept): 400 validation_invalid_token',
    method: 'POST',
    url: '/api/collections/users/confirm-verification',
    before: async (t) => {
      const victim = await t.makeUser();
      const { mail } = await verificationMail(t);
      const [header, payload, signature] = tokenFromMail(mail).split('.');
      const claims = {
        ...JSON.parse(Buffer.from(payload, 'base64url').toString()),
        id: victim.record.id,
        email: victim.email,
      };
      t.vars.token = [header, Buffer.from(JSON.stringify(claims)).toString('base64url'), signature].join('.');
      t.vars.victim = victim.record.id;
    },
    body: (t) => ({ token: t.vars.token }),
    expectStatus: 400,
    expectBody: INVALID_TOKEN,
    after: async (t) => assert.equal(await verifiedFlag(t, 'users', t.vars.victim), false),
  },
  {
    name: 'a valid token of another auth collection: 400 validation_token_collection_mismatch',
    method: 'POST',
    url: '/api/collections/users/confirm-verification',
    before: async (t) => {
      await t.createCollection({ name: 'members', type: 'auth', fields: [] });
      const { mail } = await verificationMail(t, 'members');
      t.vars.token = tokenFromMail(mail);
    },
    body: (t) => ({ token: t.vars.token }),
    expectStatus: 400,
    expectBody: { data: { token: { code: 'validation_token_collection_mismatch' } } },
  },
  {
    name: 'email changed since the mail (tokenKey rotated): 400 validation_invalid_token',
    method: 'POST',
    url: '/api/collections/users/confirm-verification',
    before: async (t) => {
      const { mail, id } = await verificationMail(t);
      t.vars.token = tokenFromMail(mail);
      t.vars.id = id;
      await t.su.expectOk('PATCH', `/api/collections/users/records/${id}`, { email: uniqueEmail('moved') });
    },
    body: (t) => ({ token: t.vars.token }),
    expectStatus: 400,
    expectBody: INVALID_TOKEN,
    after: async (t) => assert.equal(await verifiedFlag(t, 'users', t.vars.id), false),
  },
  {
    name: 'deleted user: 400 validation_invalid_token',
    method: 'POST',
    url: '/api/collections/users/confirm-verification',
    before: async (t) => {
      const { mail, id } = await verificationMail(t);
      t.vars.token = tokenFromMail(mail);
      const res = await t.su.delete(`/api/collections/users/records/${id}`);
      assert.equal(res.status, 204);
    },
    body: (t) => ({ token: t.vars.token }),
    expectStatus: 400,
    expectBody: INVALID_TOKEN,
  },
  {
    name: 'expired token (verificationToken.duration 10 s): 400 validation_invalid_token',
    method: 'POST',
    url: (t) => `/api/collections/${t.col('shortlived')}/confirm-verification`,
    before: async (t) => {
      await t.createCollection({ name: 'shortlived', type: 'auth', fields: [], verificationToken: { duration: 10 } });
      const { mail, id } = await verificationMail(t, 'shortlived');
      t.vars.token = tokenFromMail(mail);
      t.vars.id = id;
      assert.ok(Number(jwtClaims(t.vars.token).exp) > 0, 'the token has an exp');
      // 11 s later on the server's clock (moved, not waited for): a default-duration token would still pass.
      await t.advanceClock(11_000);
    },
    body: (t) => ({ token: t.vars.token }),
    expectStatus: 400,
    expectBody: INVALID_TOKEN,
    after: async (t) => assert.equal(await verifiedFlag(t, t.col('shortlived'), t.vars.id), false),
  },
  {
    name: '_superusers: 400',
    method: 'POST',
    url: '/api/collections/_superusers/confirm-verification',
    body: { token: 'x' },
    expectStatus: 400,
    expectBody: { message: 'All superusers are verified by default.' },
  },
]);
