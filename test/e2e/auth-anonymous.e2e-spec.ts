// POST /api/collections/{c}/auth-anonymously and a guest becoming a full user.
import assert from 'node:assert/strict';

import { absent, any, relation, runScenarios, ScenarioContext, text, tokenFor, uniqueEmail } from '@lib/testing';

const OWN = 'id = @request.auth.id';
const PASSWORD = 'Guest-Passw0rd-9';

/** An auth collection `guests` (anonymous auth on unless told) and `notes` owned by its records. */
async function guests(t: ScenarioContext, options: Record<string, unknown> = {}): Promise<void> {
  const created = await t.createCollection({
    name: 'guests',
    type: 'auth',
    listRule: OWN,
    viewRule: OWN,
    createRule: '',
    updateRule: OWN,
    deleteRule: OWN,
    fields: [text('nickname')],
    anonymousAuth: { enabled: true },
    ...options,
  });
  await t.createCollection({
    name: 'notes',
    type: 'base',
    listRule: 'owner = @request.auth.id',
    viewRule: 'owner = @request.auth.id',
    createRule: 'owner = @request.auth.id',
    updateRule: null,
    deleteRule: null,
    fields: [text('title'), relation('owner', created.id, { maxSelect: 1 })],
  });
}

const anonUrl = (t: ScenarioContext) => `/api/collections/${t.col('guests')}/auth-anonymously`;

/** Signs a guest in; its token and id land in `t.token` / `t.vars.guest`. */
async function guest(t: ScenarioContext): Promise<void> {
  await guests(t);
  const res = await t.request('POST', anonUrl(t), { body: {} });
  assert.equal(res.status, 200, res.text);
  const body = res.json<{ token: string; record: { id: string } }>();
  t.auth(body.token);
  t.vars.guest = body.record.id;
}

const self = (t: ScenarioContext) => t.records('guests', t.vars.guest);

runScenarios('auth-anonymously', [
  {
    name: 'enabled: a guest record without email or password, and its token',
    method: 'POST',
    url: anonUrl,
    before: guests,
    body: { nickname: 'Quiet Fox', email: 'ignored@example.com', password: 'ignored-123', verified: true },
    expectStatus: 200,
    expectBody: (t) => ({
      token: any(String),
      record: {
        collectionName: t.col('guests'),
        email: '',
        verified: false,
        nickname: 'Quiet Fox',
        password: absent(),
      },
    }),
  },
  {
    name: 'the guest token works: auth-refresh',
    method: 'POST',
    url: (t) => `/api/collections/${t.col('guests')}/auth-refresh`,
    before: guest,
    expectStatus: 200,
    expectBody: (t) => ({ record: { id: t.vars.guest, email: '' } }),
  },
  {
    name: 'the guest owns records',
    method: 'POST',
    url: (t) => t.records('notes'),
    before: guest,
    body: (t) => ({ title: 'draft', owner: t.vars.guest }),
    expectStatus: 200,
    expectBody: (t) => ({ owner: t.vars.guest }),
  },
  {
    name: 'disabled by default (users) → 403',
    method: 'POST',
    url: '/api/collections/users/auth-anonymously',
    expectStatus: 403,
    expectBody: { status: 403, message: 'The collection is not configured to allow anonymous authentication.' },
  },
  {
    name: 'explicitly disabled → 403, nothing created',
    method: 'POST',
    url: anonUrl,
    before: (t) => guests(t, { anonymousAuth: { enabled: false } }),
    expectStatus: 403,
    after: async (t) => assert.equal(await t.countRecords('guests'), 0),
  },
  {
    name: '_superusers never → 403',
    method: 'POST',
    url: '/api/collections/_superusers/auth-anonymously',
    expectStatus: 403,
  },
  {
    name: "createRule applies (context 'anonymous') → 400",
    method: 'POST',
    url: anonUrl,
    before: (t) => guests(t, { createRule: "@request.context != 'anonymous'" }),
    expectStatus: 400,
    expectBody: { message: 'Failed to create record.' },
    after: async (t) => assert.equal(await t.countRecords('guests'), 0),
  },
  {
    name: 'createRule null → 403',
    method: 'POST',
    url: anonUrl,
    before: (t) => guests(t, { createRule: null }),
    expectStatus: 403,
  },
  {
    name: 'the option is part of the collection JSON and is validated',
    method: 'POST',
    url: '/api/collections',
    auth: 'superuser',
    body: (t) => ({ name: `badanon_${t.suffix}`, type: 'auth', anonymousAuth: { enabled: 'yes' } }),
    expectStatus: 400,
    expectBody: { data: { anonymousAuth: { enabled: { code: 'validation_invalid_value' } } } },
  },
  {
    name: 'default anonymousAuth is {enabled:false}',
    method: 'GET',
    url: '/api/collections/users',
    auth: 'superuser',
    expectStatus: 200,
    expectBody: { anonymousAuth: { enabled: false } },
  },
]);

runScenarios('anonymous guest becomes a full user', [
  {
    name: 'email + password + passwordConfirm without oldPassword: same id, records kept, can log in',
    method: 'PATCH',
    url: self,
    before: async (t) => {
      await guest(t);
      t.vars.note = (
        await t.request('POST', t.records('notes'), { body: { title: 'mine', owner: t.vars.guest }, token: t.token })
      ).json<{ id: string }>().id;
      t.vars.email = uniqueEmail('upgraded');
    },
    body: (t) => ({ email: t.vars.email, password: PASSWORD, passwordConfirm: PASSWORD }),
    expectStatus: 200,
    expectBody: (t) => ({ id: t.vars.guest, email: t.vars.email, verified: false }),
    after: async (t) => {
      const token = await tokenFor(t.http, t.col('guests'), t.vars.email, PASSWORD);
      const list = await t.request('GET', t.records('notes'), { token });
      assert.deepEqual(
        list.json<{ items: { id: string }[] }>().items.map((n) => n.id),
        [t.vars.note],
      );
      // A full user now: changing the password again needs the old one.
      const again = await t.request('PATCH', self(t), {
        token,
        body: { password: 'Other-Passw0rd-1', passwordConfirm: 'Other-Passw0rd-1' },
      });
      assert.equal(again.status, 400, again.text);
      assert.equal(
        again.json<{ data: { oldPassword: { code: string } } }>().data.oldPassword.code,
        'validation_invalid_old_password',
      );
    },
  },
  {
    name: 'password without email (email required) → 400 email',
    method: 'PATCH',
    url: self,
    before: guest,
    body: { password: PASSWORD, passwordConfirm: PASSWORD },
    expectStatus: 400,
    expectBody: { data: { email: { code: 'validation_required' } } },
  },
  {
    name: 'email without password → 400 password',
    method: 'PATCH',
    url: self,
    before: guest,
    body: { email: 'half@example.com' },
    expectStatus: 400,
    expectBody: { data: { password: { code: 'validation_required' } } },
  },
  {
    name: 'mismatched passwordConfirm → 400',
    method: 'PATCH',
    url: self,
    before: guest,
    body: { email: 'mismatch@example.com', password: PASSWORD, passwordConfirm: 'nope-nope-nope' },
    expectStatus: 400,
    expectBody: { data: { passwordConfirm: { code: 'validation_values_mismatch' } } },
  },
  {
    name: 'an email already used by another record → 400 not unique',
    method: 'PATCH',
    url: self,
    before: async (t) => {
      await guest(t);
      t.vars.email = uniqueEmail('taken');
      await t.createRecord('guests', { email: t.vars.email, password: PASSWORD, passwordConfirm: PASSWORD });
    },
    body: (t) => ({ email: t.vars.email, password: PASSWORD, passwordConfirm: PASSWORD }),
    expectStatus: 400,
    expectBody: { data: { email: { code: 'validation_not_unique' } } },
  },
  {
    name: 'the guest cannot set verified',
    method: 'PATCH',
    url: self,
    before: guest,
    body: { email: 'verify@example.com', password: PASSWORD, passwordConfirm: PASSWORD, verified: true },
    expectStatus: 400,
    expectBody: { data: { verified: { code: 'validation_values_mismatch' } } },
  },
  {
    name: 'other fields update normally and keep the guest anonymous',
    method: 'PATCH',
    url: self,
    before: guest,
    body: { nickname: 'Renamed' },
    expectStatus: 200,
    expectBody: { nickname: 'Renamed', email: '' },
  },
  {
    name: "another user's guest record is out of reach → 404",
    method: 'PATCH',
    url: self,
    before: async (t) => {
      await guest(t);
      const other = await t.request('POST', anonUrl(t), { body: {} });
      t.auth(other.json<{ token: string }>().token);
    },
    body: { email: 'steal@example.com', password: PASSWORD, passwordConfirm: PASSWORD },
    expectStatus: 404,
  },
]);
