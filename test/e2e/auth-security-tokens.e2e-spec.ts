// Security group, tokens: every tampered, expired, foreign-type or stale token acts as a guest — 401
// on auth-refresh, an owner-filtered list comes back empty, the owner's own user record is hidden —
// while the untouched token (the control row) still works.
import assert from 'node:assert/strict';
import { after, before } from 'node:test';

import { OWNER_RULES, relation, runScenarios, Scenario, ScenarioContext, TestUser, text } from '@lib/testing';

import { SmtpCatcher, tokenFromMail } from './support/smtp-catcher';
import { editClaims, hmac, parts, swapSignature, withAlg } from './support/token-forge';

let smtp: SmtpCatcher;

before(async () => {
  smtp = await SmtpCatcher.start();
});

after(async () => {
  await smtp?.stop();
});

/** Alice, a note she owns in an owner-ruled `notes` collection; alice lands in t.users.alice. */
async function aliceWithNote(t: ScenarioContext): Promise<TestUser> {
  await t.createCollection({
    name: 'notes',
    ...OWNER_RULES,
    fields: [text('title'), relation('owner', '_pb_users_auth_')],
  });
  const alice = await t.makeUser({}, 'users', 'alice');
  await t.createRecord('notes', { title: 'secret', owner: alice.record.id });
  return alice;
}

/** What a guest sees with `token`: the list of alice's notes is empty and her user record is a 404. */
async function assertActsAsGuest(t: ScenarioContext, token: string): Promise<void> {
  const list = await t.request('GET', t.records('notes'), { token });
  assert.equal(list.status, 200, list.text);
  assert.equal(list.json<{ totalItems: number }>().totalItems, 0, `the list was not filtered: ${list.text}`);
  const own = await t.request('GET', `/api/collections/users/records/${t.users.alice.record.id}`, { token });
  assert.equal(own.status, 404, own.text);
}

/** A row: `forge` builds the token (from alice and the scenario), which must act as a guest. */
function guest(name: string, forge: (t: ScenarioContext, alice: TestUser) => Promise<string> | string): Scenario {
  return {
    name,
    method: 'POST',
    url: '/api/collections/users/auth-refresh',
    before: async (t) => {
      const alice = await aliceWithNote(t);
      t.vars.bad = await forge(t, alice);
    },
    auth: async (t) => t.vars.bad,
    expectStatus: 401,
    expectBody: { status: 401, data: {} },
    watch: (t) => [`users/${t.users.alice.record.id}`],
    expectEvents: { '*': 0 },
    after: async (t) => {
      await assertActsAsGuest(t, t.vars.bad);
      await assertActsAsGuest(t, `Bearer ${t.vars.bad}`);
    },
  };
}

runScenarios('security: tampered and foreign tokens act as guest', [
  {
    name: 'control: the untouched token refreshes and sees its own note',
    method: 'POST',
    url: '/api/collections/users/auth-refresh',
    before: async (t) => t.auth(await aliceWithNote(t)),
    expectStatus: 200,
    watch: (t) => [`users/${t.users.alice.record.id}`],
    expectEvents: { '*': 0 },
    after: async (t) => {
      const list = await t.request('GET', t.records('notes'), { token: t.users.alice.token });
      assert.equal(list.json<{ totalItems: number }>().totalItems, 1);
    },
  },
  guest('payload edited: id of another user, signature kept', async (t) =>
    editClaims(t.users.alice.token, { id: (await t.makeUser()).record.id }),
  ),
  guest('payload edited: exp pushed a year ahead', (_t, alice) =>
    editClaims(alice.token, { exp: Number(parts(alice.token).claims.exp) + 365 * 86400 }),
  ),
  guest('payload edited: refreshable flipped', (_t, alice) => editClaims(alice.token, { refreshable: false, x: 1 })),
  guest("alice's claims with the signature of another record's token", async (t, alice) =>
    swapSignature(alice.token, (await t.makeUser()).token),
  ),
  guest('alg none with an empty signature', (_t, alice) => withAlg(alice.token, 'none')),
  guest('alg none keeping the original signature', (_t, alice) =>
    withAlg(alice.token, 'none', () => parts(alice.token).sig),
  ),
  guest('HS512 header with the original signature', (_t, alice) =>
    withAlg(alice.token, 'HS512', () => parts(alice.token).sig),
  ),
  guest('HS512 signed with a guessed key', (_t, alice) => withAlg(alice.token, 'HS512', hmac('sha512', 'secret'))),
  guest('HS256 signed with an empty key', (_t, alice) => withAlg(alice.token, 'HS256', hmac('sha256', ''))),
  guest('truncated: no signature part', (_t, alice) => alice.token.split('.').slice(0, 2).join('.')),
  guest('expired: an impersonation token of 1 s, used 2 s later', async (t, alice) => {
    const res = await t.su.post(`/api/collections/users/impersonate/${alice.record.id}`, { duration: 1 });
    assert.equal(res.status, 200, res.text);
    await t.advanceClock(2_000);
    return res.json<{ token: string }>().token;
  }),
  guest(
    'wrong collection in the claims: another auth collection (which may not hold the same id)',
    async (t, alice) => {
      const members = await t.createCollection({ name: 'members', type: 'auth' });
      const member = { email: `m_${t.suffix}@example.com`, password: alice.password, passwordConfirm: alice.password };
      // An auth id is unique across auth collections (security-auth-id suite): the look-alike can't be made.
      const copy = await t.su.post(`/api/collections/${members.name}/records`, { ...member, id: alice.record.id });
      assert.equal(copy.status, 400, copy.text);
      await t.createRecord('members', member);
      return editClaims(alice.token, { collectionId: members.id });
    },
  ),
  guest('wrong collection in the claims: _superusers', (_t, alice) =>
    editClaims(alice.token, { collectionId: 'pbc_3142635823' }),
  ),
  guest('a file token used as auth', async (t, alice) => {
    const res = await t.request('POST', '/api/files/token', { token: alice.token });
    assert.equal(res.status, 200, res.text);
    const token = res.json<{ token: string }>().token;
    assert.equal(parts(token).claims.type, 'file');
    return token;
  }),
  guest('a verification token (from the mail) used as auth', async (t, alice) => {
    await smtp.configure(t);
    const res = await t.request('POST', '/api/collections/users/request-verification', {
      body: { email: alice.email },
    });
    assert.equal(res.status, 204, res.text);
    return tokenFromMail(await smtp.waitForMail(alice.email));
  }),
  guest('a password-reset token (from the mail) used as auth', async (t, alice) => {
    await smtp.configure(t);
    const res = await t.request('POST', '/api/collections/users/request-password-reset', {
      body: { email: alice.email },
    });
    assert.equal(res.status, 204, res.text);
    return tokenFromMail(await smtp.waitForMail(alice.email));
  }),
  guest('the type claim of a file token edited to auth', async (t, alice) => {
    const res = await t.request('POST', '/api/files/token', { token: alice.token });
    return editClaims(res.json<{ token: string }>().token, { type: 'auth' });
  }),
  guest("a deleted user's token", async (t) => {
    const bob = await t.makeUser();
    const res = await t.su.delete(`/api/collections/users/records/${bob.record.id}`);
    assert.equal(res.status, 204, res.text);
    return bob.token;
  }),
  guest('the old token after a password change', async (t, alice) => {
    const res = await t.request('PATCH', `/api/collections/users/records/${alice.record.id}`, {
      token: alice.token,
      body: { oldPassword: alice.password, password: 'Changed-Passw0rd-9', passwordConfirm: 'Changed-Passw0rd-9' },
    });
    assert.equal(res.status, 200, res.text);
    return alice.token;
  }),
  guest('the old token after a password reset confirmed from the mail', async (t, alice) => {
    await smtp.configure(t);
    await t.request('POST', '/api/collections/users/request-password-reset', { body: { email: alice.email } });
    const token = tokenFromMail(await smtp.waitForMail(alice.email));
    const res = await t.request('POST', '/api/collections/users/confirm-password-reset', {
      body: { token, password: 'Reset-Passw0rd-9', passwordConfirm: 'Reset-Passw0rd-9' },
    });
    assert.equal(res.status, 204, res.text);
    return alice.token;
  }),
]);

runScenarios('security: token reuse after a password change', [
  {
    name: 'the new password logs in, the old one and the old token are refused',
    method: 'POST',
    url: '/api/collections/users/auth-with-password',
    before: async (t) => {
      const alice = await aliceWithNote(t);
      const res = await t.request('PATCH', `/api/collections/users/records/${alice.record.id}`, {
        token: alice.token,
        body: { oldPassword: alice.password, password: 'Changed-Passw0rd-9', passwordConfirm: 'Changed-Passw0rd-9' },
      });
      assert.equal(res.status, 200, res.text);
      const reuse = await t.request('PATCH', `/api/collections/users/records/${alice.record.id}`, {
        token: alice.token,
        body: { name: 'hijacked' },
      });
      assert.equal(reuse.status, 404, `the old token can't update the record: ${reuse.text}`);
      const old = await t.request('POST', '/api/collections/users/auth-with-password', {
        body: { identity: alice.email, password: alice.password },
      });
      assert.equal(old.status, 400, old.text);
    },
    body: (t) => ({ identity: t.users.alice.email, password: 'Changed-Passw0rd-9' }),
    expectStatus: 200,
    after: async (t, res) => {
      const token = res.json<{ token: string }>().token;
      const list = await t.request('GET', t.records('notes'), { token });
      assert.equal(list.json<{ totalItems: number }>().totalItems, 1);
    },
  },
]);
