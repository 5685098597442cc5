// Security issue 13, finding 1: an auth record's id is unique across every auth collection. Rules such as
// `owner = @request.auth.id` compare ids alone, so a sign-up that took the id of a record in another auth
// collection would act as that record. Every write path answers 400 `validation_invalid_auth_id` on `id`.
import assert from 'node:assert/strict';

import {
  absent,
  any,
  makeUserInput,
  OWNER_RULES,
  recordId,
  relation,
  runScenarios,
  ScenarioContext,
  text,
} from '@lib/testing';

const INVALID_AUTH_ID = {
  status: 400,
  message: 'Failed to create record.',
  data: { id: { code: 'validation_invalid_auth_id', message: 'Invalid or duplicated auth record id.' } },
};

/** A second auth collection `members` with a victim, and `notes` owned through `members` (owner-only rules). */
async function victim(t: ScenarioContext): Promise<void> {
  const members = await t.createCollection({ name: 'members', type: 'auth', fields: [] });
  await t.createCollection({
    name: 'notes',
    ...OWNER_RULES,
    fields: [text('body'), relation('owner', members.id, { maxSelect: 1 })],
  });
  const alice = await t.makeUser({}, 'members', 'alice');
  t.vars.victim = alice.record.id;
  t.vars.note = (await t.createRecord('notes', { body: 'secret', owner: alice.record.id })).id;
}

async function superuserId(t: ScenarioContext): Promise<void> {
  const list = await t.su.expectOk<{ items: { id: string }[] }>('GET', '/api/collections/_superusers/records');
  t.vars.victim = list.items[0].id;
}

/** Nobody took the victim's id in `users`, and the victim's note is untouched. */
async function nothingTaken(t: ScenarioContext): Promise<void> {
  assert.equal(await t.findRecord('users', t.vars.victim), undefined, 'a users record took the victim id');
  if (t.vars.note) {
    const note = await t.findRecord('notes', t.vars.note);
    assert.equal(note?.body, 'secret');
  }
}

const signUp = (t: ScenarioContext) => ({ ...makeUserInput(), id: t.vars.victim });

runScenarios('auth record ids are unique across auth collections', [
  {
    name: 'guest sign-up in users with the id of a members record → 400 validation_invalid_auth_id',
    method: 'POST',
    url: '/api/collections/users/records',
    auth: 'guest',
    before: victim,
    body: signUp,
    expectStatus: 400,
    expectBody: INVALID_AUTH_ID,
    after: nothingTaken,
  },
  {
    name: "guest sign-up in users with a superuser's id → 400 validation_invalid_auth_id",
    method: 'POST',
    url: '/api/collections/users/records',
    auth: 'guest',
    before: superuserId,
    body: signUp,
    expectStatus: 400,
    expectBody: INVALID_AUTH_ID,
    after: nothingTaken,
  },
  {
    name: 'a superuser creating the duplicate is refused too (members id → users)',
    method: 'POST',
    url: '/api/collections/users/records',
    auth: 'superuser',
    before: victim,
    body: signUp,
    expectStatus: 400,
    expectBody: INVALID_AUTH_ID,
    after: nothingTaken,
  },
  {
    name: 'the other direction: a users id in members → 400',
    method: 'POST',
    url: (t) => t.records('members'),
    auth: 'superuser',
    before: async (t) => {
      await t.createCollection({ name: 'members', type: 'auth', fields: [] });
      t.vars.victim = (await t.makeUser()).record.id;
    },
    body: signUp,
    expectStatus: 400,
    expectBody: INVALID_AUTH_ID,
    after: async (t) => assert.equal(await t.findRecord('members', t.vars.victim), undefined),
  },
  {
    name: 'the legacy POST /api/users with a members id → 400',
    method: 'POST',
    url: '/api/users',
    auth: 'guest',
    before: victim,
    body: signUp,
    expectStatus: 400,
    expectBody: INVALID_AUTH_ID,
    after: nothingTaken,
  },
  {
    name: 'in a batch: the whole batch fails and nothing is created',
    method: 'POST',
    url: '/api/batch',
    auth: 'guest',
    before: async (t) => {
      await victim(t);
      await t.setBatch(true, 50);
      t.vars.fresh = recordId();
    },
    body: (t) => ({
      requests: [
        { method: 'POST', url: '/api/collections/users/records', body: { ...makeUserInput(), id: t.vars.fresh } },
        { method: 'PUT', url: '/api/collections/users/records', body: signUp(t) },
      ],
    }),
    expectStatus: 400,
    expectBody: {
      data: {
        requests: {
          '0': absent(),
          '1': { response: { status: 400, data: { id: { code: 'validation_invalid_auth_id' } } } },
        },
      },
    },
    after: async (t) => {
      await nothingTaken(t);
      assert.equal(await t.findRecord('users', t.vars.fresh), undefined, 'the batch was rolled back');
    },
  },
  {
    name: 'the id can not be moved onto a members id by an update either',
    method: 'PATCH',
    url: (t) => t.records('users', t.vars.mine),
    auth: 'superuser',
    before: async (t) => {
      await victim(t);
      t.vars.mine = (await t.makeUser()).record.id;
    },
    body: (t) => ({ id: t.vars.victim }),
    expectStatus: 400,
    expectBody: { data: { id: { code: any(String) } } },
    after: nothingTaken,
  },
  {
    name: "control: the would-be attacker's own account sees none of the victim's notes",
    method: 'GET',
    url: (t) => t.records('notes'),
    before: async (t) => {
      await victim(t);
      t.auth(await t.makeUser());
    },
    expectStatus: 200,
    expectBody: { totalItems: 0, items: [] },
  },
  {
    name: 'control: a fresh custom id is still accepted',
    method: 'POST',
    url: '/api/collections/users/records',
    auth: 'guest',
    before: async (t) => {
      await victim(t);
      t.vars.fresh = recordId();
    },
    body: (t) => ({ ...makeUserInput(), id: t.vars.fresh }),
    expectStatus: 200,
    expectBody: (t) => ({ id: t.vars.fresh }),
  },
  {
    name: 'control: base collections may share ids with auth records',
    method: 'POST',
    url: (t) => t.records('plain'),
    auth: 'superuser',
    before: async (t) => {
      await victim(t);
      await t.createCollection({ name: 'plain', fields: [text('title')] });
    },
    body: (t) => ({ id: t.vars.victim, title: 'x' }),
    expectStatus: 200,
  },
]);
