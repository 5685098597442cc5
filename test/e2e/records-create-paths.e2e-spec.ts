import assert from 'node:assert/strict';

import { bool, json, num, relation, runScenarios, type Scenario, type ScenarioContext, text } from '@lib/testing';

// A create on PostgreSQL that needs nothing but its row is one INSERT … WHERE <its relations exist> (no
// transaction); the rest takes the transaction. Both must answer alike (this file runs on both databases, on
// PostgreSQL through test/distributed/postgres.e2e-spec.ts): the rule, the relation check, typed values and a taken id, on either path.

const OWNER = 'owner = @request.auth.id';

/** `tags` (one record), `todos` (owner-only create rule, single relations, typed fields) and `bags` (open). */
async function todos(t: ScenarioContext, extra: Record<string, unknown> = {}): Promise<void> {
  const tags = await t.createCollection({
    name: 'tags',
    listRule: '',
    viewRule: '',
    createRule: '',
    fields: [text('n')],
  });
  t.vars.tag = (await t.createRecord('tags', { n: 'a' })).id;
  await t.createCollection({
    name: 'todos',
    listRule: OWNER,
    viewRule: OWNER,
    createRule: OWNER,
    fields: [
      text('title'),
      bool('done'),
      num('weight'),
      relation('owner', '_pb_users_auth_', { maxSelect: 1 }),
      relation('tag', tags.id, { maxSelect: 1 }),
    ],
    ...extra,
  });
  // No create rule, so JSON columns don't keep it from the one statement: a multiple relation's ids checked there.
  await t.createCollection({
    name: 'bags',
    listRule: '',
    createRule: '',
    fields: [relation('tags', tags.id, { maxSelect: 5 })],
  });
  const user = await t.makeUser();
  t.vars.user = user.record.id;
  t.auth(user);
}

/** Nothing stored in `key` (a refused create wrote nothing). */
const noneStored =
  (key = 'todos') =>
  async (t: ScenarioContext): Promise<void> => {
    assert.equal(await t.countRecords(key), 0);
  };

function create(
  name: string,
  body: (t: ScenarioContext) => Record<string, unknown>,
  rest: Partial<Scenario> & Pick<Scenario, 'expectStatus'>,
  key = 'todos',
): Scenario {
  return { name, method: 'POST', url: (t) => t.records(key), body, before: (t) => todos(t), ...rest };
}

const withJson = { fields: [relation('owner', '_pb_users_auth_', { maxSelect: 1 }), json('meta')] };

runScenarios('record create: one statement or the transaction, the same answers', [
  create(
    'own record with typed values: stored as sent',
    (t) => ({ title: 'x', done: true, weight: 2.5, owner: t.vars.user, tag: t.vars.tag }),
    {
      expectStatus: 200,
      expectEvents: { 'record.created': 1, '*': 0 },
      expectBody: (t) => ({ title: 'x', done: true, weight: 2.5, owner: t.vars.user, tag: t.vars.tag }),
      after: async (t) => {
        const [stored] = (await t.listRecords('todos')).items;
        assert.deepEqual(
          [stored.title, stored.done, stored.weight, stored.owner, stored.tag],
          ['x', true, 2.5, t.vars.user, t.vars.tag],
        );
      },
    },
  ),
  create('another owner: the rule refuses, nothing stored', () => ({ title: 'x', owner: 'someoneelse1234' }), {
    expectStatus: 400,
    expectEvents: { '*': 0 },
    after: noneStored(),
  }),
  create(
    'a missing single relation: the relation error, nothing stored',
    (t) => ({ owner: t.vars.user, tag: 'missingmissing1' }),
    {
      expectStatus: 400,
      expectBody: { data: { tag: { code: 'validation_missing_rel_records' } } },
      expectEvents: { '*': 0 },
      after: noneStored(),
    },
  ),
  create(
    'a multiple relation: stored',
    (t) => ({ tags: [t.vars.tag] }),
    {
      expectStatus: 200,
      expectEvents: { 'record.created': 1, '*': 0 },
      expectBody: (t) => ({ tags: [t.vars.tag] }),
    },
    'bags',
  ),
  create(
    'one of two ids missing: the relation error, nothing stored',
    (t) => ({ tags: [t.vars.tag, 'missingmissing1'] }),
    {
      expectStatus: 400,
      expectBody: { data: { tags: { code: 'validation_missing_rel_records' } } },
      expectEvents: { '*': 0 },
      after: noneStored('bags'),
    },
    'bags',
  ),
  create('a taken id: validation_not_unique', (t) => ({ id: t.vars.user, owner: t.vars.user }), {
    before: async (t) => {
      await todos(t);
      await t.su.expectOk('POST', t.records('todos'), { id: t.vars.user, owner: t.vars.user });
    },
    expectStatus: 400,
    expectBody: { data: { id: { code: 'validation_not_unique' } } },
  }),
  create(
    'a json field beside the rule (checked after the INSERT): allowed',
    (t) => ({ owner: t.vars.user, meta: { b: 1, a: 2 } }),
    {
      before: (t) => todos(t, withJson),
      expectStatus: 200,
      expectBody: (t) => ({ owner: t.vars.user, meta: { a: 2, b: 1 } }),
    },
  ),
  create('a json field beside the rule: refused for another owner', () => ({ owner: 'someoneelse1234', meta: {} }), {
    before: (t) => todos(t, withJson),
    expectStatus: 400,
    after: noneStored(),
  }),
  create('a rule on @request.body decided before the INSERT', (t) => ({ owner: t.vars.user, weight: 3 }), {
    before: (t) => todos(t, { createRule: `${OWNER} && @request.body.weight > 2` }),
    expectStatus: 200,
    expectBody: { weight: 3 },
  }),
  create('a rule on @request.body that refuses', (t) => ({ owner: t.vars.user, weight: 1 }), {
    before: (t) => todos(t, { createRule: `${OWNER} && @request.body.weight > 2` }),
    expectStatus: 400,
    after: noneStored(),
  }),
]);
