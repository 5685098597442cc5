// Bad-input corpus, rule bypass attempts: reading what the rules hide through `expand`, `fields`
// (`expand.x.secret`), `sort` by a hidden field (its order leaks the values), `filter` on a hidden field, a
// related locked collection, a back-relation or `@collection`. Each: a 4xx in the envelope, or a 200 that shows
// nothing the rules hide.
import assert from 'node:assert/strict';

import {
  LOCKED_RULES,
  OPEN_RULES,
  OWNER_RULES,
  relation,
  runScenarios,
  Scenario,
  ScenarioContext,
  text,
} from '@lib/testing';

import { hostileRows } from './support/hostile';

const SECRET = 'LOCKED-SECRET';
const HIDDEN = 'HIDDEN-VALUE';
const NOTE = 'ALICE-NOTE';

/**
 * `vault` (locked) holding SECRET; `posts` (open) with a hidden field holding HIDDEN and a relation to the vault
 * record; `notes` (owner rules) with alice's note NOTE; bob is the scenario's user.
 */
async function world(t: ScenarioContext): Promise<void> {
  const vault = await t.createCollection({ name: 'vault', ...LOCKED_RULES, fields: [text('secret')] });
  t.vars.vaultId = (await t.createRecord('vault', { secret: SECRET })).id;
  await t.createCollection({
    name: 'posts',
    ...OPEN_RULES,
    fields: [text('title'), text('hid', { hidden: true }), relation('v', vault.id, { maxSelect: 1 })],
  });
  t.vars.post = (await t.createRecord('posts', { title: 'public', hid: HIDDEN, v: t.vars.vaultId })).id;
  await t.createRecord('posts', { title: 'public 2', hid: 'aaa', v: t.vars.vaultId });
  await t.createCollection({
    name: 'notes',
    ...OWNER_RULES,
    fields: [text('title'), relation('owner', '_pb_users_auth_', { maxSelect: 1 })],
  });
  const alice = await t.makeUser({}, 'users', 'alice');
  t.vars.note = (await t.createRecord('notes', { title: NOTE, owner: alice.record.id })).id;
  t.auth(await t.makeUser({}, 'users', 'bob'));
}

/** A GET as bob that must answer `status` and show none of the hidden values. */
function attempt(
  name: string,
  url: (t: ScenarioContext) => string,
  status: number,
  more: Partial<Scenario> = {},
): Scenario {
  return {
    name: `${name} → ${status}`,
    method: 'GET',
    url,
    before: world,
    expectStatus: status,
    expectNotContains: [SECRET, HIDDEN, NOTE],
    ...more,
  };
}

const q = encodeURIComponent;
const posts = (t: ScenarioContext, query: string) => t.records('posts', undefined, query);
const via = (t: ScenarioContext) => `${t.col('posts')}_via_v`;

runScenarios(
  'bad input: rule bypass through expand, fields, sort and filter',
  hostileRows([
    attempt('expand a relation into a locked collection', (t) => posts(t, '?expand=v'), 200, {
      after: async (_t, res) => assert.ok(!res.text.includes('"expand":{"v"'), res.text.slice(0, 500)),
    }),
    attempt('fields=expand.v.secret', (t) => posts(t, `?expand=v&fields=${q('id,expand.v.secret')}`), 200),
    attempt('fields=*,expand.v.*,hid', (t) => posts(t, `?expand=v&fields=${q('*,expand.v.*,hid')}`), 200),
    attempt('view with expand=v', (t) => t.records('posts', t.vars.post, '?expand=v&fields=*,expand.*'), 200),
    attempt('fields=hid (a hidden field)', (t) => posts(t, '?fields=hid'), 200),
    attempt('sort by a hidden field', (t) => posts(t, '?sort=hid'), 400),
    attempt('sort by -hid,title', (t) => posts(t, `?sort=${q('-hid,title')}`), 400),
    attempt("sort by the locked relation's field", (t) => posts(t, `?sort=${q('v.secret')}`), 400),
    attempt('filter on a hidden field', (t) => posts(t, `?filter=${q(`hid ~ "${HIDDEN.slice(0, 3)}"`)}`), 400),
    attempt('filter on a hidden field with a modifier', (t) => posts(t, `?filter=${q('hid:lower != ""')}`), 400),
    attempt("filter on the locked relation's field", (t) => posts(t, `?filter=${q(`v.secret ~ "LOCKED"`)}`), 400),
    attempt(
      'filter through @collection',
      (t) => posts(t, `?filter=${q(`@collection.${t.col('vault')}.secret ?~ "L"`)}`),
      403,
    ),
    attempt('filter through a back-relation', (t) => posts(t, `?filter=${q(`v.${via(t)}.hid != ""`)}`), 400),
    attempt('list the locked collection', (t) => t.records('vault', undefined, `?filter=${q('secret != ""')}`), 403),
    attempt('view the locked record', (t) => t.records('vault', t.vars.vaultId), 403),
    attempt(
      'expand a back-relation from the locked side',
      (t) => t.records('vault', t.vars.vaultId, `?expand=${via(t)}`),
      403,
    ),
    attempt('expand a back-relation through the relation', (t) => posts(t, `?expand=${q(`v.${via(t)}`)}`), 200),
    attempt(
      "another user's notes, filtered by id",
      (t) => t.records('notes', undefined, `?filter=${q(`id = "${t.vars.note}"`)}`),
      200,
      {
        expectBody: { totalItems: 0, items: [] },
      },
    ),
    attempt("another user's notes, sorted", (t) => t.records('notes', undefined, '?sort=-title&perPage=500'), 200, {
      expectBody: { totalItems: 0 },
    }),
    attempt("another user's note by id with expand", (t) => t.records('notes', t.vars.note, '?expand=owner'), 404),
    attempt(
      "another user's notes through owner.email",
      (t) => t.records('notes', undefined, `?filter=${q('owner.email ~ "@"')}`),
      200,
      {
        expectBody: { totalItems: 0 },
      },
    ),
    attempt(
      'notes with a rule-defeating filter',
      (t) => t.records('notes', undefined, `?filter=${q('owner != @request.auth.id || 1 = 1')}`),
      403,
    ),
    attempt('skipTotal with a hidden sort', (t) => posts(t, '?skipTotal=1&sort=hid'), 400),
    {
      ...attempt('a guest expanding a relation into users', (t) => t.records('notes', undefined, '?expand=owner'), 200),
      auth: 'guest',
      expectBody: { totalItems: 0 },
    },
  ]),
);
