// Login alerts: a password login from a new IP + User-Agent fingerprint stores an `_authOrigins` row
// (at most 5 per record) and mails the collection's authAlert template, never on the first login.
import assert from 'node:assert/strict';
import { after, before } from 'node:test';

import { DEFAULT_PASSWORD, makeUserInput, runScenarios, ScenarioContext, text } from '@lib/testing';

import { SmtpCatcher } from './support/smtp-catcher';

let smtp: SmtpCatcher;

before(async () => {
  smtp = await SmtpCatcher.start();
});

after(async () => {
  await smtp?.stop();
});

/** Creates a user as superuser (no login yet) and returns its id and email. */
async function freshUser(t: ScenarioContext, collection = 'users'): Promise<{ id: string; email: string }> {
  const input = makeUserInput();
  const record = await t.su.expectOk<{ id: string }>('POST', `/api/collections/${t.col(collection)}/records`, input);
  return { id: record.id, email: String(input.email) };
}

async function login(t: ScenarioContext, email: string, userAgent: string, collection = 'users'): Promise<string> {
  const res = await t.request('POST', `/api/collections/${t.col(collection)}/auth-with-password`, {
    body: { identity: email, password: DEFAULT_PASSWORD },
    headers: { 'user-agent': userAgent },
  });
  assert.equal(res.status, 200, res.text);
  return res.json<{ token: string }>().token;
}

async function originCount(t: ScenarioContext, recordId: string): Promise<number> {
  return t.countRecords('_authOrigins', `recordRef = "${recordId}"`);
}

const loginBody = (t: ScenarioContext) => ({ identity: t.vars.email, password: DEFAULT_PASSWORD });

runScenarios('login alerts (auth-with-password)', [
  {
    name: 'first login: the origin is stored, no mail',
    method: 'POST',
    url: '/api/collections/users/auth-with-password',
    before: async (t) => {
      await smtp.configure(t);
      Object.assign(t.vars, await freshUser(t));
    },
    headers: { 'user-agent': 'FirstBrowser/1.0' },
    body: loginBody,
    expectStatus: 200,
    after: async (t) => {
      await smtp.expectMailCount(t, t.vars.email, 0);
      assert.equal(await originCount(t, t.vars.id), 1);
      const [origin] = (
        await t.listRecords('_authOrigins', `?filter=${encodeURIComponent(`recordRef="${t.vars.id}"`)}`)
      ).items;
      assert.equal(origin.collectionRef, '_pb_users_auth_');
      assert.match(String(origin.fingerprint), /^[0-9a-f]{32}$/);
    },
  },
  {
    name: 'a mail still being sent fails a count of 0: expectMailCount waits for the mail queue, not a delay',
    method: 'POST',
    url: '/api/collections/users/auth-with-password',
    before: async (t) => {
      await smtp.configure(t);
      Object.assign(t.vars, await freshUser(t));
      await login(t, t.vars.email, 'FirstBrowser/1.0');
      t.data = smtp.hold();
    },
    headers: { 'user-agent': 'HeldBrowser/1.0' },
    body: loginBody,
    expectStatus: 200,
    after: async (t) => {
      const release = t.data as () => void;
      let settled = false;
      const counting = smtp.expectMailCount(t, t.vars.email, 0).finally(() => (settled = true));
      try {
        // The alert's job is running, held by the catcher: the queue isn't idle, the count isn't taken.
        const { pending } = await t.su.expectOk<{ pending: number }>('GET', '/api/jobs/mail.send');
        assert.ok(pending >= 1, `pending ${pending}`);
        assert.equal(settled, false);
      } finally {
        release();
      }
      await assert.rejects(counting, /expected 0 mail\(s\) to .*, got 1/);
    },
  },
  {
    name: 'a second login from a new User-Agent: alert mail from the authAlert template',
    method: 'POST',
    url: '/api/collections/users/auth-with-password',
    before: async (t) => {
      await smtp.configure(t);
      Object.assign(t.vars, await freshUser(t));
      await login(t, t.vars.email, 'FirstBrowser/1.0');
    },
    headers: { 'user-agent': 'SecondBrowser/2.0' },
    body: loginBody,
    expectStatus: 200,
    after: async (t) => {
      const mail = await smtp.waitForMail(t.vars.email);
      assert.equal(mail.subject, 'Login from a new location');
      assert.match(mail.html, /login to your NestbaseTest account from a new location/);
      assert.equal(await originCount(t, t.vars.id), 2);
      await smtp.expectMailCount(t, t.vars.email, 1);
    },
  },
  {
    name: 'the same fingerprint again: no mail, no new origin',
    method: 'POST',
    url: '/api/collections/users/auth-with-password',
    before: async (t) => {
      await smtp.configure(t);
      Object.assign(t.vars, await freshUser(t));
      await login(t, t.vars.email, 'SameBrowser/1.0');
    },
    headers: { 'user-agent': 'SameBrowser/1.0' },
    body: loginBody,
    expectStatus: 200,
    after: async (t) => {
      await smtp.expectMailCount(t, t.vars.email, 0);
      assert.equal(await originCount(t, t.vars.id), 1);
    },
  },
  {
    name: 'at most 5 origins per record; every new one alerts',
    method: 'POST',
    url: '/api/collections/users/auth-with-password',
    before: async (t) => {
      await smtp.configure(t);
      Object.assign(t.vars, await freshUser(t));
      for (let i = 1; i <= 6; i++) {
        await login(t, t.vars.email, `Device/${i}`);
      }
    },
    headers: { 'user-agent': 'Device/7' },
    body: loginBody,
    expectStatus: 200,
    after: async (t) => {
      await smtp.waitForMail(t.vars.email, 6);
      await smtp.expectMailCount(t, t.vars.email, 6);
      assert.equal(await originCount(t, t.vars.id), 5);
    },
  },
  {
    name: 'ALERT_INFO carries the IP and the (HTML-escaped) User-Agent',
    method: 'POST',
    url: (t) => `/api/collections/${t.col('members')}/auth-with-password`,
    before: async (t) => {
      await smtp.configure(t);
      await t.createCollection({
        name: 'members',
        type: 'auth',
        fields: [text('nick')],
        authAlert: {
          enabled: true,
          emailTemplate: { subject: 'New login for {RECORD:nick}', body: '<p>{ALERT_INFO}</p>' },
        },
      });
      const input = makeUserInput({ nick: 'neo' });
      await t.su.expectOk('POST', `/api/collections/${t.col('members')}/records`, input);
      t.vars.email = String(input.email);
      await login(t, t.vars.email, 'Old/1', 'members');
    },
    headers: { 'user-agent': 'Evil<script>/1' },
    body: loginBody,
    expectStatus: 200,
    after: async (t) => {
      const mail = await smtp.waitForMail(t.vars.email);
      assert.equal(mail.subject, 'New login for neo');
      assert.ok(mail.html.includes('127.0.0.1'), mail.html);
      assert.ok(mail.html.includes('Evil&#60;script&#62;/1'), mail.html);
      assert.ok(!mail.html.includes('<script>'), mail.html);
    },
  },
  {
    name: 'authAlert disabled: new origins are stored but no mail is sent',
    method: 'POST',
    url: (t) => `/api/collections/${t.col('quiet')}/auth-with-password`,
    before: async (t) => {
      await smtp.configure(t);
      await t.createCollection({ name: 'quiet', type: 'auth', fields: [], authAlert: { enabled: false } });
      Object.assign(t.vars, await freshUser(t, 'quiet'));
      await login(t, t.vars.email, 'A/1', 'quiet');
    },
    headers: { 'user-agent': 'B/2' },
    body: loginBody,
    expectStatus: 200,
    after: async (t) => {
      await smtp.expectMailCount(t, t.vars.email, 0);
      assert.equal(await originCount(t, t.vars.id), 2);
    },
  },
  {
    name: 'auth-refresh from a new User-Agent is not a login: no mail, no origin',
    method: 'POST',
    url: '/api/collections/users/auth-refresh',
    before: async (t) => {
      await smtp.configure(t);
      Object.assign(t.vars, await freshUser(t));
      t.auth(await login(t, t.vars.email, 'A/1'));
    },
    headers: { 'user-agent': 'Refresher/9' },
    expectStatus: 200,
    after: async (t) => {
      await smtp.expectMailCount(t, t.vars.email, 0);
      assert.equal(await originCount(t, t.vars.id), 1);
    },
  },
  {
    name: 'a failed login stores nothing and sends nothing',
    method: 'POST',
    url: '/api/collections/users/auth-with-password',
    before: async (t) => {
      await smtp.configure(t);
      Object.assign(t.vars, await freshUser(t));
      await login(t, t.vars.email, 'A/1');
    },
    headers: { 'user-agent': 'Attacker/1' },
    body: (t) => ({ identity: t.vars.email, password: 'wrong-password-1' }),
    expectStatus: 400,
    after: async (t) => {
      await smtp.expectMailCount(t, t.vars.email, 0);
      assert.equal(await originCount(t, t.vars.id), 1);
    },
  },
]);
