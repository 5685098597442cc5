// The confirm hooks of the auth mail flows in a PocketBase-style file (support/jsvm-auth-files.ts), standalone:
// onRecordConfirmPasswordResetRequest, onRecordConfirmVerificationRequest and onRecordConfirmEmailChangeRequest get
// the record (and the new email) of a valid token; a throw refuses with its error and nothing is changed, a
// handler that calls e.next() lets the confirmation through. The same hooks on `users` run in the split services too
// (support/jsvm-confirm-check.ts, from hooks-jsvm-split and test/distributed/hooks.e2e-spec.ts).
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';

import {
  DEFAULT_PASSWORD,
  HttpClient,
  ManagedProcess,
  startNestbase,
  TEST_CEILING_MS,
  text,
  tokenFor,
  uniqueEmail,
} from '@lib/testing';

import { writeHooksDir } from './support/hooks-files';
import { HK_MEMBERS, JSVM_AUTH } from './support/jsvm-auth-files';
import { SmtpCatcher, tokenFromMail } from './support/smtp-catcher';

const TIMEOUT = { timeout: TEST_CEILING_MS };
const SU = { PB_ADMIN_EMAIL: 'jsvm-confirm@example.com', PB_ADMIN_PASSWORD: 'Jsvm-Confirm-Passw0rd' };
const AUTH = `/api/collections/${HK_MEMBERS}`;
const NEW_PASSWORD = 'Brand-New-Passw0rd';

type Method = 'GET' | 'POST' | 'PATCH' | 'DELETE';
type Member = { id: string; email: string; verified: boolean };

void describe('confirm hooks of PocketBase-style files', () => {
  const work = mkdtempSync(join(tmpdir(), 'nb-jsvm-confirm-'));
  const hooks = writeHooksDir({ 'auth.pb.js': JSVM_AUTH });
  let proc: ManagedProcess;
  let http: HttpClient;
  let smtp: SmtpCatcher;
  let su = '';
  const call = (method: Method, url: string, body?: unknown, token = su) => http.request(method, url, { body, token });
  const member = async (name: string, verified = true) => {
    const email = uniqueEmail(name);
    const body = { email, password: DEFAULT_PASSWORD, passwordConfirm: DEFAULT_PASSWORD, verified, name };
    const res = await call('POST', `${AUTH}/records`, body);
    assert.equal(res.status, 200, res.text);
    return res.json<Member>();
  };
  /** Asks for a mail of the flow and returns the token it carries. */
  const tokenBy = async (path: string, body: Record<string, unknown>, to: string, token = '') => {
    const res = await call('POST', `${AUTH}/${path}`, body, token);
    assert.equal(res.status, 204, res.text);
    return tokenFromMail(await smtp.waitForMail(to));
  };
  const stored = async (id: string) => (await call('GET', `${AUTH}/records/${id}`)).json<Member>();
  const refused = (res: { status: number; text: string; json<T>(): T }, message: string) => {
    assert.equal(res.status, 400, res.text);
    assert.equal(res.json<{ message: string }>().message, message);
  };

  before(async () => {
    smtp = await SmtpCatcher.start();
    proc = await startNestbase(join(work, 'pb_data'), ['--hooksDir', hooks], { env: SU });
    http = new HttpClient(proc.baseUrl);
    su = await tokenFor(http, '_superusers', SU.PB_ADMIN_EMAIL, SU.PB_ADMIN_PASSWORD);
    const smtpSettings = { enabled: true, host: '127.0.0.1', port: smtp.port, tls: false, username: '' };
    assert.equal((await call('PATCH', '/api/settings', { smtp: smtpSettings })).status, 200);
    const made = await call('POST', '/api/collections', { name: HK_MEMBERS, type: 'auth', fields: [text('name')] });
    assert.equal(made.status, 200, made.text);
  });
  after(async () => {
    proc?.kill();
    await smtp?.stop();
    [work, hooks].forEach((d) => rmSync(d, { recursive: true, force: true }));
  });

  void it('password reset: refused by the record (the old password stays), or done', TIMEOUT, async () => {
    const confirm = (token: string) =>
      call('POST', `${AUTH}/confirm-password-reset`, { token, password: NEW_PASSWORD, passwordConfirm: NEW_PASSWORD });
    const keep = await member('keep-password');
    const keepToken = await tokenBy('request-password-reset', { email: keep.email }, keep.email);
    refused(await confirm(keepToken), `The password of ${keep.email} in ${HK_MEMBERS} stays.`);
    await tokenFor(http, HK_MEMBERS, keep.email, DEFAULT_PASSWORD);
    const other = await member('reset-me');
    const token = await tokenBy('request-password-reset', { email: other.email }, other.email);
    const res = await confirm(token);
    assert.equal(res.status, 204, res.text);
    await tokenFor(http, HK_MEMBERS, other.email, NEW_PASSWORD);
  });

  void it('verification: refused by the record (still unverified), or done', TIMEOUT, async () => {
    const confirm = (token: string) => call('POST', `${AUTH}/confirm-verification`, { token }, '');
    const stay = await member('stay-unverified', false);
    const stayToken = await tokenBy('request-verification', { email: stay.email }, stay.email);
    refused(await confirm(stayToken), `No verification for ${stay.email}.`);
    assert.equal((await stored(stay.id)).verified, false);
    const other = await member('verify-me', false);
    const res = await confirm(await tokenBy('request-verification', { email: other.email }, other.email));
    assert.equal(res.status, 204, res.text);
    assert.equal((await stored(other.id)).verified, true);
  });

  void it('email change: refused by the new email (the old one stays), or done', TIMEOUT, async () => {
    const m = await member('changer');
    const auth = await tokenFor(http, HK_MEMBERS, m.email, DEFAULT_PASSWORD);
    const confirm = (token: string) =>
      call('POST', `${AUTH}/confirm-email-change`, { token, password: DEFAULT_PASSWORD }, '');
    const nope = uniqueEmail('nope');
    refused(
      await confirm(await tokenBy('request-email-change', { newEmail: nope }, nope, auth)),
      `Not to ${nope} for ${m.email}.`,
    );
    assert.equal((await stored(m.id)).email, m.email);
    const fine = uniqueEmail('fine');
    const res = await confirm(await tokenBy('request-email-change', { newEmail: fine }, fine, auth));
    assert.equal(res.status, 204, res.text);
    assert.equal((await stored(m.id)).email, fine);
  });
});
