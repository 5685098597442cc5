// The sign-in hooks of a PocketBase-style file (support/jsvm-auth-files.ts), standalone: onRecordAuthWithPassword/
// OTP/OAuth2Request fire before the sign-in completes — with e.identity, e.password, e.record (null when not found),
// e.otp, e.oauth2User, e.createData, e.isNewRecord, e.providerClient — and what they change or throw acts;
// onRecordAuthRefreshRequest's changes to e.record are in the answer; OTP's are saved when the sign-in verifies the
// record. The distributed set checks the password, OAuth2 and refresh hooks (support/jsvm-split-checks.ts).
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
import { CLIENT_ID, OAuth2Mock, REDIRECT_URL } from './support/oauth2-mock';
import { SmtpCatcher } from './support/smtp-catcher';

const TIMEOUT = { timeout: TEST_CEILING_MS };
const SU = { PB_ADMIN_EMAIL: 'jsvm-auth@example.com', PB_ADMIN_PASSWORD: 'Jsvm-Auth-Passw0rd' };
const AUTH = `/api/collections/${HK_MEMBERS}`;

type Method = 'GET' | 'POST' | 'PATCH' | 'DELETE';
type Member = { id: string; email: string; name: string; nick: string };
type Answer = { token: string; record: Member; meta?: { isNew: boolean; name: string } };

void describe('sign-in hooks of PocketBase-style files', () => {
  const work = mkdtempSync(join(tmpdir(), 'nb-jsvm-auth-'));
  const hooks = writeHooksDir({ 'auth.pb.js': JSVM_AUTH });
  let proc: ManagedProcess;
  let http: HttpClient;
  let oauth: OAuth2Mock;
  let smtp: SmtpCatcher;
  let su = '';
  const call = (method: Method, url: string, body?: unknown, token = su) => http.request(method, url, { body, token });
  const member = async (fields: Record<string, unknown> = {}) => {
    const email = uniqueEmail('member');
    const body = { email, password: DEFAULT_PASSWORD, passwordConfirm: DEFAULT_PASSWORD, verified: true, ...fields };
    const res = await call('POST', `${AUTH}/records`, body);
    assert.equal(res.status, 200, res.text);
    return res.json<Member>();
  };
  const signIn = (identity: string, password = DEFAULT_PASSWORD) =>
    call('POST', `${AUTH}/auth-with-password`, { identity, password }, '');

  before(async () => {
    [oauth, smtp] = await Promise.all([OAuth2Mock.start(), SmtpCatcher.start()]);
    proc = await startNestbase(join(work, 'pb_data'), ['--hooksDir', hooks], { env: SU });
    http = new HttpClient(proc.baseUrl);
    su = await tokenFor(http, '_superusers', SU.PB_ADMIN_EMAIL, SU.PB_ADMIN_PASSWORD);
    const smtpSettings = { enabled: true, host: '127.0.0.1', port: smtp.port, tls: false, username: '' };
    assert.equal((await call('PATCH', '/api/settings', { smtp: smtpSettings })).status, 200);
    const made = await call('POST', '/api/collections', {
      name: HK_MEMBERS,
      type: 'auth',
      createRule: '',
      fields: [text('name'), text('nick')],
      otp: { enabled: true, length: 6, duration: 180 },
      oauth2: { enabled: true, mappedFields: { name: 'name' }, providers: [oauth.provider('oidc')] },
    });
    assert.equal(made.status, 200, made.text);
  });
  after(async () => {
    proc?.kill();
    await Promise.all([oauth?.stop(), smtp?.stop()]);
    [work, hooks].forEach((d) => rmSync(d, { recursive: true, force: true }));
  });

  void it(
    'password: the hook runs before the check, sees a missing record, finds or refuses one',
    TIMEOUT,
    async () => {
      const ghost = await http.request('POST', `${AUTH}/auth-with-password`, {
        body: { identity: 'ghost@example.com', identityField: 'email', password: 'abc12345' },
        headers: { 'X-Client-Tag': 'hk-test' },
      });
      assert.equal(ghost.status, 400, ghost.text);
      assert.equal(
        ghost.json<{ message: string }>().message,
        "Unknown ghost@example.com (record null, field 'email', password of 8, tag hk-test/hk-test, password)",
      );
      // refused by the hook even with a wrong password: it ran before the password was checked
      const locked = await member({ name: 'locked' });
      const refused = await signIn(locked.email, 'not-the-password');
      assert.equal(refused.status, 403, refused.text);
      assert.equal(refused.json<{ message: string }>().message, `Locked: ${locked.email} of ${HK_MEMBERS}.`);
      // e.record found by the hook (a nickname is no identity field): its password is then checked
      const nicked = await member({ nick: 'ada' });
      const byNick = await signIn('nick:ada');
      assert.equal(byNick.status, 200, byNick.text);
      assert.equal(byNick.json<Answer>().record.id, nicked.id);
      assert.equal((await signIn('nick:ada', 'wrong-password')).status, 400);
      assert.equal((await signIn(nicked.email)).status, 200);
    },
  );

  void it('auth refresh: the changes the hook makes to e.record are in the answer', TIMEOUT, async () => {
    const m = await member({ name: 'Grace' });
    const token = (await signIn(m.email)).json<Answer>().token;
    const res = await call('POST', `${AUTH}/auth-refresh`, undefined, token);
    assert.equal(res.status, 200, res.text);
    assert.equal(res.json<Answer>().record.name, 'refreshed Grace');
    const stored = await call('GET', `${AUTH}/records/${m.id}`);
    assert.equal(stored.json<Member>().name, 'Grace', 'the change is the answer, not a write');
  });

  void it('OTP: the hook gets the record and the OTP; refuses, or changes (saved on verify)', TIMEOUT, async () => {
    const otpSignIn = async (m: Member) => {
      const asked = await call('POST', `${AUTH}/request-otp`, { email: m.email }, '');
      assert.equal(asked.status, 200, asked.text);
      const mail = await smtp.waitForMail(m.email);
      const code = /<strong>(\d+)<\/strong>/.exec(mail.html)?.[1];
      const body = { otpId: asked.json<{ otpId: string }>().otpId, password: code };
      return call('POST', `${AUTH}/auth-with-otp`, body, '');
    };
    const no = await member({ name: 'no-otp' });
    const refused = await otpSignIn(no);
    assert.equal(refused.status, 403, refused.text);
    assert.equal(
      refused.json<{ message: string }>().message,
      `No OTP sign-in for ${no.email} (code sent to ${no.email}).`,
    );
    const fine = await member({ name: 'Linus' });
    const res = await otpSignIn(fine);
    assert.equal(res.status, 200, res.text);
    assert.deepEqual([res.json<Answer>().record.id, res.json<Answer>().record.name], [fine.id, 'otp Linus']);
    const stored = async (id: string) =>
      (await call('GET', `${AUTH}/records/${id}`)).json<Member & { verified: boolean }>();
    assert.equal((await stored(fine.id)).name, 'Linus', 'a verified record: the change is the answer, not a write');
    // the sign-in verifies an unverified record: PocketBase saves e.record then, with the hook's change
    const fresh = await member({ name: 'Margaret', verified: false });
    const verifying = await otpSignIn(fresh);
    assert.equal(verifying.status, 200, verifying.text);
    assert.equal(verifying.json<Answer>().record.name, 'otp Margaret');
    const saved = await stored(fresh.id);
    assert.deepEqual([saved.name, saved.verified], ['otp Margaret', true]);
  });

  void it('OAuth2: before the account is written — createData, the record and isNew changeable', TIMEOUT, async () => {
    const suffix = Math.random().toString(36).slice(2, 10);
    const profile = (email: string) => ({ sub: `sub-${email}`, email, email_verified: true, name: `Ada ${suffix}` });
    const oauth2 = async (p: Record<string, unknown>, createData?: Record<string, unknown>) => {
      const { code, codeVerifier } = await oauth.authorize(p);
      const body = { provider: 'oidc', code, codeVerifier, redirectURL: REDIRECT_URL, createData };
      return call('POST', `${AUTH}/auth-with-oauth2`, body, '');
    };
    const blocked = await oauth2(profile(`blocked_${suffix}@example.com`));
    assert.equal(blocked.status, 403, blocked.text);
    assert.equal(
      blocked.json<{ message: string }>().message,
      `No OAuth2 for blocked_${suffix}@example.com (new: true, OpenID Connect ${CLIENT_ID} to ${REDIRECT_URL}, pkce true).`,
    );
    const list = await call('GET', `${AUTH}/records?filter=${encodeURIComponent(`email ~ "blocked_${suffix}"`)}`);
    assert.equal(list.json<{ totalItems: number }>().totalItems, 0, 'no account made for a refused sign-in');
    // a new account: the hook's createData (not the mapped name) is what is created
    const newcomer = profile(`new_${suffix}@example.com`);
    const created = await oauth2(newcomer, { name: 'from the client' });
    assert.equal(created.status, 200, created.text);
    assert.equal(created.json<Answer>().record.name, `made for Ada ${suffix} via oidc`);
    assert.equal(created.json<Answer>().meta?.isNew, true);
    // the same provider user again: the linked record, changed by the hook in the answer
    const again = await oauth2(newcomer);
    assert.equal(again.status, 200, again.text);
    assert.equal(again.json<Answer>().record.id, created.json<Answer>().record.id);
    assert.equal(again.json<Answer>().meta?.isNew, false);
    // an unknown email claiming an existing account by nickname: the hook picks that record
    const old = await member({ nick: `old_${suffix}` });
    const claimed = await oauth2(profile(`other_${suffix}@example.com`), { nick: `old_${suffix}` });
    assert.equal(claimed.status, 200, claimed.text);
    assert.deepEqual(
      [claimed.json<Answer>().record.id, claimed.json<Answer>().record.name, claimed.json<Answer>().meta?.isNew],
      [old.id, `welcome back old_${suffix}`, false],
    );
    const links = await call(
      'GET',
      `/api/collections/_externalAuths/records?filter=${encodeURIComponent(`recordRef = "${old.id}"`)}`,
    );
    assert.deepEqual(
      links.json<{ items: { providerId: string }[] }>().items.map((l) => l.providerId),
      [`sub-other_${suffix}@example.com`],
    );
  });
});
