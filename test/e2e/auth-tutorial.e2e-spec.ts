// The older tutorial's endpoints: POST /api/users registers, POST /api/users/auth-via-email logs in
// and returns {token, record, user}; the token then works on /api/collections/todos/records.
import assert from 'node:assert/strict';

import {
  any,
  DEFAULT_PASSWORD,
  makeUserInput,
  OWNER_RULES,
  RecordJson,
  runScenarios,
  ScenarioContext,
  uniqueEmail,
} from '@lib/testing';

async function registered(t: ScenarioContext): Promise<void> {
  const input = makeUserInput();
  const res = await t.request('POST', '/api/users', { body: input });
  assert.equal(res.status, 200, res.text);
  t.vars.email = String(input.email);
  t.vars.id = res.json<RecordJson>().id;
}

runScenarios('POST /api/users (register)', [
  {
    name: '{email, password, passwordConfirm}: 200 and the users record',
    method: 'POST',
    url: '/api/users',
    auth: 'guest',
    before: async (t) => {
      t.vars.email = uniqueEmail('tut');
    },
    body: (t) => ({ email: t.vars.email, password: DEFAULT_PASSWORD, passwordConfirm: DEFAULT_PASSWORD }),
    expectStatus: 200,
    expectBody: {
      id: any(String),
      collectionName: 'users',
      collectionId: '_pb_users_auth_',
      verified: false,
    },
    expectNotContains: ['tokenKey', '"password"', DEFAULT_PASSWORD],
    after: async (t, res) => {
      const stored = await t.findRecord('users', res.json<RecordJson>().id);
      assert.equal(stored?.email, t.vars.email);
    },
  },
  {
    name: 'passwordConfirm mismatch: 400',
    method: 'POST',
    url: '/api/users',
    body: { email: uniqueEmail('tut'), password: DEFAULT_PASSWORD, passwordConfirm: 'nope-nope-nope' },
    expectStatus: 400,
    expectBody: { data: { passwordConfirm: { code: 'validation_values_mismatch' } } },
  },
  {
    name: 'email already registered: 400 validation_not_unique',
    method: 'POST',
    url: '/api/users',
    before: registered,
    body: (t) => ({ email: t.vars.email, password: DEFAULT_PASSWORD, passwordConfirm: DEFAULT_PASSWORD }),
    expectStatus: 400,
    expectBody: { data: { email: { code: 'validation_not_unique' } } },
  },
  {
    name: 'a guest cannot register as verified: 400',
    method: 'POST',
    url: '/api/users',
    body: { email: uniqueEmail('tut'), password: DEFAULT_PASSWORD, passwordConfirm: DEFAULT_PASSWORD, verified: true },
    expectStatus: 400,
    expectBody: { data: { verified: any(Object) } },
  },
  {
    name: 'missing password: 400',
    method: 'POST',
    url: '/api/users',
    body: { email: uniqueEmail('tut') },
    expectStatus: 400,
    expectBody: { data: { password: { code: 'validation_required' } } },
  },
]);

runScenarios('POST /api/users/auth-via-email', [
  {
    name: '{identity, password}: {token, record, user} with user = record',
    method: 'POST',
    url: '/api/users/auth-via-email',
    before: registered,
    body: (t) => ({ identity: t.vars.email, password: DEFAULT_PASSWORD }),
    expectStatus: 200,
    expectBody: (t) => ({
      token: any(String),
      record: { id: t.vars.id, email: t.vars.email },
      user: { id: t.vars.id, email: t.vars.email },
    }),
    expectNotContains: ['tokenKey', '"password"'],
    after: async (_t, res) => {
      const body = res.json<{ record: unknown; user: unknown }>();
      assert.deepEqual(body.user, body.record);
    },
  },
  {
    name: '{email, password} (the tutorial body): 200',
    method: 'POST',
    url: '/api/users/auth-via-email',
    before: registered,
    body: (t) => ({ email: t.vars.email, password: DEFAULT_PASSWORD }),
    expectStatus: 200,
    expectBody: (t) => ({ token: any(String), user: { id: t.vars.id } }),
  },
  {
    name: 'the token is a normal users auth token (auth-refresh accepts it)',
    method: 'POST',
    url: '/api/collections/users/auth-refresh',
    before: async (t) => {
      await registered(t);
      const res = await t.request('POST', '/api/users/auth-via-email', {
        body: { email: t.vars.email, password: DEFAULT_PASSWORD },
      });
      t.auth(res.json<{ token: string }>().token);
    },
    expectStatus: 200,
    expectBody: (t) => ({ record: { id: t.vars.id } }),
  },
  {
    name: 'wrong password: 400 Failed to authenticate.',
    method: 'POST',
    url: '/api/users/auth-via-email',
    before: registered,
    body: (t) => ({ email: t.vars.email, password: 'Wrong-Passw0rd' }),
    expectStatus: 400,
    expectBody: { message: 'Failed to authenticate.', data: {} },
  },
  {
    name: 'unknown email: the same 400',
    method: 'POST',
    url: '/api/users/auth-via-email',
    body: { email: uniqueEmail('ghost'), password: DEFAULT_PASSWORD },
    expectStatus: 400,
    expectBody: { message: 'Failed to authenticate.' },
  },
  {
    name: 'missing identity and password: 400',
    method: 'POST',
    url: '/api/users/auth-via-email',
    body: {},
    expectStatus: 400,
    expectBody: { data: { identity: { code: 'validation_required' }, password: { code: 'validation_required' } } },
  },
]);

runScenarios("the tutorial's flow", [
  {
    name: 'register, log in, create and list own todos on /api/collections/todos/records',
    method: 'GET',
    url: '/api/collections/todos/records',
    before: async (t) => {
      const users = await t.su.expectOk<{ id: string }>('GET', '/api/collections/users');
      // The tutorial's fixed name: a server shared by earlier runs (NB_TEST_BASE_URL) may have it already.
      if ((await t.su.get('/api/collections/todos')).status === 200) {
        assert.equal((await t.su.delete('/api/collections/todos')).status, 204, 'dropping an earlier todos');
      }
      await t.su.expectOk('POST', '/api/collections', {
        name: 'todos',
        type: 'base',
        ...OWNER_RULES,
        fields: [
          { name: 'title', type: 'text', required: true },
          { name: 'completed', type: 'bool' },
          { name: 'owner', type: 'relation', collectionId: users.id, maxSelect: 1 },
        ],
      });
      const login = async (email: string) => {
        const reg = await t.request('POST', '/api/users', {
          body: { email, password: DEFAULT_PASSWORD, passwordConfirm: DEFAULT_PASSWORD },
        });
        assert.equal(reg.status, 200, reg.text);
        const res = await t.request('POST', '/api/users/auth-via-email', {
          body: { email, password: DEFAULT_PASSWORD },
        });
        assert.equal(res.status, 200, res.text);
        return res.json<{ token: string; user: { id: string } }>();
      };
      const alice = await login(uniqueEmail('alice'));
      const bob = await login(uniqueEmail('bob'));
      for (const title of ['buy milk', 'walk dog']) {
        const res = await t.request('POST', '/api/collections/todos/records', {
          body: { title, owner: alice.user.id },
          token: alice.token,
        });
        assert.equal(res.status, 200, res.text);
      }
      const foreign = await t.request('POST', '/api/collections/todos/records', {
        body: { title: 'not mine', owner: alice.user.id },
        token: bob.token,
      });
      assert.equal(foreign.status, 400, 'bob cannot create a todo owned by alice');
      const guest = await t.request('POST', '/api/collections/todos/records', { body: { title: 'x' } });
      assert.equal(guest.status, 400, 'guests cannot create todos');
      t.vars.alice = alice.user.id;
      t.vars.bobToken = bob.token;
      t.auth(alice.token);
    },
    expectStatus: 200,
    expectBody: (t) => ({
      totalItems: 2,
      items: [
        { title: 'buy milk', owner: t.vars.alice, completed: false },
        { title: 'walk dog', owner: t.vars.alice },
      ],
    }),
    after: async (t) => {
      const bobs = await t.request('GET', '/api/collections/todos/records', { token: t.vars.bobToken });
      assert.equal(bobs.json<{ totalItems: number }>().totalItems, 0, 'bob sees none of alice’s todos');
    },
  },
]);
