// Hooks over the HTTP API: the owner example (pb_hooks/owner.pb.js), validation hooks that reject and roll
// back, request hooks that change the response, custom routes with auth, after-hooks. The server of this
// file loads its hooks from NB_HOOKS_DIR, set before it starts.
import assert from 'node:assert/strict';

import {
  bool,
  LOCKED_RULES,
  matching,
  OPEN_RULES,
  RecordJson,
  relation,
  runScenarios,
  ScenarioContext,
  text,
} from '@lib/testing';
import { API_HOOKS, HOOKED, writeHooksDir } from './support/hooks-files';

process.env.NB_HOOKS_DIR = writeHooksDir({ 'api.pb.js': API_HOOKS }, true);

let schema: Promise<void> | undefined;
function setup(t: ScenarioContext): Promise<void> {
  schema ??= (async () => {
    const users = (await t.su.expectOk<{ id: string }>('GET', '/api/collections/users')).id;
    const todos = {
      listRule: '',
      viewRule: '',
      createRule: '@request.auth.id != ""',
      updateRule: null,
      deleteRule: null,
    };
    await t.su.expectOk('POST', '/api/collections', {
      name: HOOKED.todos,
      ...todos,
      fields: [text('title'), relation('owner', users)],
    });
    await t.su.expectOk('POST', '/api/collections', { name: HOOKED.audit, ...LOCKED_RULES, fields: [text('note')] });
    const posts = { ...OPEN_RULES, fields: [text('title'), bool('locked')] };
    await t.su.expectOk('POST', '/api/collections', { name: HOOKED.posts, ...posts });
    await t.su.expectOk('POST', '/api/collections', { name: HOOKED.notes, ...OPEN_RULES, fields: [text('body')] });
  })();
  return schema;
}

const todos = `/api/collections/${HOOKED.todos}/records`;
const posts = `/api/collections/${HOOKED.posts}/records`;
const count = (t: ScenarioContext, key: string, filter: string) => t.countRecords(key, filter);

runScenarios('owner hook (examples/pb_hooks/owner.pb.js)', [
  {
    name: "a user's todo is owned by that user whatever the client sent",
    method: 'POST',
    url: todos,
    before: async (t) => {
      await setup(t);
      const [alice, bob] = [await t.makeUser({}, 'users', 'alice'), await t.makeUser({}, 'users', 'bob')];
      t.auth(alice);
      t.vars.bob = bob.record.id;
    },
    body: (t) => ({ title: 'mine', owner: t.vars.bob }),
    expectStatus: 200,
    expectBody: (t) => ({ title: 'mine', owner: t.users.alice.record.id }),
  },
  {
    name: 'an owner that does not exist is replaced as well',
    method: 'POST',
    url: todos,
    before: async (t) => {
      await setup(t);
      t.auth(await t.makeUser({}, 'users', 'alice'));
    },
    body: { title: 'typo', owner: 'doesnotexist123' },
    expectStatus: 200,
    expectBody: (t) => ({ owner: t.users.alice.record.id }),
  },
  {
    name: 'a superuser may set any owner',
    method: 'POST',
    url: todos,
    auth: 'superuser',
    before: async (t) => {
      await setup(t);
      t.vars.bob = (await t.makeUser()).record.id;
    },
    body: (t) => ({ title: 'assigned', owner: t.vars.bob }),
    expectStatus: 200,
    expectBody: (t) => ({ owner: t.vars.bob }),
  },
]);

runScenarios('write hooks: validation, rollback, after-hooks', [
  {
    name: 'a throwing hook rejects with 400 and its message; nothing is stored',
    method: 'POST',
    url: posts,
    before: setup,
    body: { title: 'a forbidden word' },
    expectStatus: 400,
    expectBody: { status: 400, message: 'Titles may not say "forbidden".', data: {} },
    after: async (t) => assert.equal(await count(t, HOOKED.posts, 'title = "a forbidden word"'), 0),
  },
  {
    name: 'a thrown ApiError keeps its status',
    method: 'POST',
    url: posts,
    before: setup,
    body: { title: 'teapot' },
    expectStatus: 418,
    expectBody: { status: 418, message: "I'm a teapot." },
  },
  {
    name: "a failing hook rolls back the hook's own writes too",
    method: 'POST',
    url: posts,
    before: setup,
    body: { title: 'audit-then-fail' },
    expectStatus: 400,
    expectBody: { message: 'Failed after writing the audit record.' },
    after: async (t) => {
      assert.equal(await count(t, HOOKED.audit, 'note = "written in the hook"'), 0);
      assert.equal(await count(t, HOOKED.posts, 'title = "audit-then-fail"'), 0);
    },
  },
  {
    name: 'a throw after e.next() rolls the write back',
    method: 'POST',
    url: posts,
    before: setup,
    body: { title: 'fail-after-write' },
    expectStatus: 400,
    expectBody: { message: 'Rejected after the write.' },
    after: async (t) => assert.equal(await count(t, HOOKED.posts, 'title = "fail-after-write"'), 0),
  },
  {
    name: 'a hook changes the record before the write; the after-hook writes an audit record',
    method: 'POST',
    url: posts,
    before: setup,
    body: { title: 'uppercase me' },
    expectStatus: 200,
    expectBody: { title: 'UPPERCASE ME' },
    after: async (t, res) => {
      const id = res.json<RecordJson>().id;
      assert.equal(await count(t, HOOKED.audit, `note = "created ${id}"`), 1);
    },
  },
  {
    name: 'a before-update hook sees the original record',
    method: 'PATCH',
    url: (t) => `${posts}/${t.vars.id}`,
    before: async (t) => {
      await setup(t);
      t.vars.id = (await t.createRecord(HOOKED.posts, { title: 'fixed', locked: true })).id;
    },
    body: { title: 'changed' },
    expectStatus: 400,
    expectBody: { message: 'This post is locked.' },
    after: async (t) => assert.equal((await t.findRecord(HOOKED.posts, t.vars.id))?.title, 'FIXED'),
  },
  {
    name: 'an after-hook failure leaves the record saved and the response successful',
    method: 'POST',
    url: `/api/collections/${HOOKED.notes}/records`,
    before: setup,
    body: { body: 'kept' },
    expectStatus: 200,
    expectBody: { body: 'kept' },
    after: async (t, res) => assert.ok(await t.findRecord(HOOKED.notes, res.json<RecordJson>().id)),
  },
]);

runScenarios('request hooks change the request and the response', [
  {
    name: 'list: a field added to the result',
    method: 'GET',
    url: posts,
    before: setup,
    expectStatus: 200,
    expectBody: { hooked: true, page: 1 },
  },
  {
    name: 'view: the record changed in the response only',
    method: 'GET',
    url: (t) => `${posts}/${t.vars.id}`,
    before: async (t) => {
      await setup(t);
      t.vars.id = (await t.createRecord(HOOKED.posts, { title: 'quiet' })).id;
    },
    expectStatus: 200,
    expectBody: { title: 'QUIET' },
    after: async (t) =>
      assert.equal((await t.listRecords(HOOKED.posts, `?filter=id="${t.vars.id}"`)).items[0].title, 'quiet'),
  },
  {
    name: 'create: the body changed before the write',
    method: 'POST',
    url: posts,
    before: setup,
    body: { title: '   spaced   ' },
    expectStatus: 200,
    expectBody: { title: 'spaced' },
  },
  {
    name: 'create: a hook answers itself; the operation does not run',
    method: 'POST',
    url: posts,
    before: setup,
    body: { title: 'shortcut' },
    expectStatus: 202,
    expectBody: { shortcut: true },
    after: async (t) => assert.equal(await count(t, HOOKED.posts, 'title = "shortcut"'), 0),
  },
  {
    name: 'auth: meta added to the auth response',
    method: 'POST',
    url: '/api/collections/users/auth-with-password',
    before: async (t) => {
      await setup(t);
      const user = await t.makeUser();
      t.data = { identity: user.email, password: user.password };
    },
    body: (t) => t.data as Record<string, unknown>,
    expectStatus: 200,
    expectBody: { token: matching(/^ey/), meta: { hooked: true, method: 'password' } },
  },
]);

runScenarios('routerAdd routes', [
  {
    name: 'requireAuth: 401 for a guest',
    method: 'GET',
    url: '/api/hk/hello/world',
    auth: 'guest',
    expectStatus: 401,
    expectBody: { status: 401, data: {} },
  },
  {
    name: 'requireAuth: 200 for a user, with path params and e.auth',
    method: 'GET',
    url: '/api/hk/hello/world',
    before: async (t) => t.auth(await t.makeUser({}, 'users', 'u')),
    expectStatus: 200,
    expectBody: (t) => ({ message: 'hello world', user: t.users.u.record.id }),
  },
  {
    name: 'requireSuperuserAuth: 401 for a user',
    method: 'GET',
    url: '/api/hk/admin',
    before: async (t) => t.auth(await t.makeUser()),
    expectStatus: 401,
  },
  {
    name: 'requireSuperuserAuth: 200 for a superuser (a returned value is sent as JSON)',
    method: 'GET',
    url: '/api/hk/admin',
    auth: 'superuser',
    expectStatus: 200,
    expectBody: { ok: true },
  },
  {
    name: 'a route reads the JSON body and picks its status',
    method: 'POST',
    url: '/api/hk/echo',
    body: { a: 1 },
    expectStatus: 201,
    expectBody: { got: { a: 1 } },
  },
]);
