// Security issue 13, finding 3: view collections leaked what their sources hide. A wildcard is refused (it
// would take the password hash, the token key and hidden fields, and every column added later); each column
// read from a collection field takes that field's definition (hidden stays hidden, a relation stays a relation
// to its collection); credentials and internal tables are refused outright; a source's change reaches its views.
import assert from 'node:assert/strict';

import {
  absent,
  any,
  CollectionJson,
  DEFAULT_PASSWORD,
  LOCKED_RULES,
  OPEN_RULES,
  relation,
  runScenarios,
  Scenario,
  ScenarioContext,
  text,
} from '@lib/testing';

/** `accounts` (auth: nick, hidden secret) with alice, `posts` (hidden note, author → accounts) with one post. */
async function sources(t: ScenarioContext, accountRules: Record<string, string | null> = LOCKED_RULES): Promise<void> {
  const accounts = await t.createCollection({
    name: 'accounts',
    type: 'auth',
    ...accountRules,
    fields: [text('nick'), text('secret', { hidden: true })],
  });
  await t.createCollection({
    name: 'posts',
    ...OPEN_RULES,
    fields: [text('title'), text('note', { hidden: true }), relation('author', accounts.id, { maxSelect: 1 })],
  });
  const alice = await t.su.expectOk<{ id: string }>('POST', t.records('accounts'), {
    email: `alice_${t.suffix}@example.com`,
    emailVisibility: false,
    password: DEFAULT_PASSWORD,
    passwordConfirm: DEFAULT_PASSWORD,
    nick: 'alice',
    secret: 'alice-secret',
  });
  t.vars.alice = alice.id;
  t.vars.post = (await t.createRecord('posts', { title: 'hello', note: 'post-note', author: alice.id })).id;
}

/** The sources plus view `v` over `posts` joined to `accounts`, listable and viewable by guests. */
async function withView(t: ScenarioContext, accountRules?: Record<string, string | null>): Promise<void> {
  await sources(t, accountRules);
  await t.createCollection({
    name: 'v',
    type: 'view',
    listRule: '',
    viewRule: '',
    viewQuery: `SELECT p.id, p.title, p.note, p.author, a.id AS account, a.nick
      FROM ${t.col('posts')} p JOIN ${t.col('accounts')} a ON a.id = p.author`,
  });
}

/** A guest-listable view from `query(t)` → 400 `validation_invalid_view_query` with a message matching `message`. */
function refused(name: string, query: (t: ScenarioContext) => string, message: RegExp): Scenario {
  return {
    name: `${name} → 400`,
    method: 'POST',
    url: '/api/collections',
    auth: 'superuser',
    before: sources,
    body: (t) => ({ name: `leak_${t.suffix}`, type: 'view', listRule: '', viewQuery: query(t) }),
    expectStatus: 400,
    expectBody: {
      status: 400,
      message: 'Failed to create collection.',
      data: { viewQuery: { code: 'validation_invalid_view_query', message: any(String) } },
    },
    expectNotContains: ['alice-secret', '$2'],
    after: async (t, res) => {
      assert.match(res.json<{ data: { viewQuery: { message: string } } }>().data.viewQuery.message, message);
      assert.equal((await t.su.get(`/api/collections/leak_${t.suffix}`)).status, 404, 'the view was created');
    },
  };
}

const WILDCARD = /^Invalid query - dynamic column names are not supported$/;

const fieldOf = (c: CollectionJson, name: string) => c.fields.find((f) => f.name === name);

runScenarios('security: view collections', [
  refused('SELECT * of an auth collection', (t) => `SELECT * FROM ${t.col('accounts')}`, WILDCARD),
  refused('SELECT alias.*', (t) => `SELECT a.id, a.* FROM ${t.col('accounts')} a`, WILDCARD),
  refused('a wildcard in a subquery', (t) => `SELECT id, nick FROM (SELECT * FROM ${t.col('accounts')})`, WILDCARD),
  refused('the password hash, even renamed', (t) => `SELECT id, password AS p FROM ${t.col('accounts')}`, /password/),
  refused('the token key', (t) => `SELECT id, tokenKey FROM ${t.col('accounts')}`, /tokenKey/),
  refused('an internal table (settings)', () => 'SELECT id, value FROM _params', /internal table/),
  {
    name: 'explicit columns: hidden stays hidden, relations stay relations, another id becomes a relation',
    method: 'GET',
    url: (t) => `/api/collections/${t.col('v')}`,
    auth: 'superuser',
    before: withView,
    expectStatus: 200,
    after: async (t, res) => {
      const v = res.json<CollectionJson>();
      const accounts = t.id('accounts');
      assert.equal(fieldOf(v, 'note')?.hidden, true, 'note');
      assert.equal(fieldOf(v, 'title')?.hidden, false, 'title');
      assert.deepEqual([fieldOf(v, 'author')?.type, fieldOf(v, 'author')?.collectionId], ['relation', accounts]);
      assert.deepEqual([fieldOf(v, 'account')?.type, fieldOf(v, 'account')?.collectionId], ['relation', accounts]);
    },
  },
  {
    name: 'a guest lists the view: no hidden field, not even asked for with fields=',
    method: 'GET',
    url: (t) => `${t.records('v')}?fields=id,title,note,secret`,
    before: withView,
    expectStatus: 200,
    expectBody: (t) => ({ totalItems: 1, items: [{ id: t.vars.post, title: 'hello', note: absent() }] }),
    expectNotContains: ['post-note', 'alice-secret'],
  },
  {
    name: 'a guest filtering on a hidden view field → 400 (no oracle)',
    method: 'GET',
    url: (t) => `${t.records('v')}?filter=${encodeURIComponent('note ~ "post"')}`,
    before: withView,
    expectStatus: 400,
  },
  {
    name: 'a guest sorting on a hidden view field → 400',
    method: 'GET',
    url: (t) => `${t.records('v')}?sort=note`,
    before: withView,
    expectStatus: 400,
  },
  {
    name: 'expand through the view obeys the target viewRule (locked: no expand)',
    method: 'GET',
    url: (t) => `${t.records('v', t.vars.post)}?expand=author,account`,
    before: withView,
    expectStatus: 200,
    expectBody: (t) => ({ author: t.vars.alice, expand: { author: absent(), account: absent() } }),
  },
  {
    name: 'expand through the view with an open target: its hidden fields and hidden email stay out',
    method: 'GET',
    url: (t) => `${t.records('v', t.vars.post)}?expand=account`,
    before: (t) => withView(t, OPEN_RULES),
    expectStatus: 200,
    expectBody: (t) => ({
      expand: { account: { id: t.vars.alice, nick: 'alice', secret: absent(), email: absent() } },
    }),
    expectNotContains: ['alice-secret', 'tokenKey', '"password"'],
  },
  {
    name: 'a view of a view keeps the hidden flag',
    method: 'POST',
    url: '/api/collections',
    auth: 'superuser',
    before: withView,
    body: (t) => ({
      name: `vv_${t.suffix}`,
      type: 'view',
      listRule: '',
      viewQuery: `SELECT id, note AS n FROM ${t.col('v')}`,
    }),
    expectStatus: 200,
    after: async (t, res) => {
      assert.equal(fieldOf(res.json<CollectionJson>(), 'n')?.hidden, true);
      const list = await t.request('GET', `/api/collections/vv_${t.suffix}/records`);
      assert.ok(!list.text.includes('post-note'), list.text);
    },
  },
  {
    name: "a source field made hidden later is hidden in the view's records too",
    method: 'GET',
    url: (t) => t.records('v'),
    before: async (t) => {
      await withView(t);
      const posts = await t.su.expectOk<CollectionJson>('GET', `/api/collections/${t.col('posts')}`);
      const fields = posts.fields.map((f) => (f.name === 'title' ? { ...f, hidden: true } : f));
      await t.su.expectOk('PATCH', `/api/collections/${t.col('posts')}`, { fields });
    },
    expectStatus: 200,
    expectBody: { totalItems: 1, items: [{ title: absent() }] },
    expectNotContains: ['hello'],
  },
  {
    name: 'the collections import path refuses a wildcard view too',
    method: 'PUT',
    url: '/api/collections/import',
    auth: 'superuser',
    before: sources,
    body: (t) => ({
      collections: [
        { name: `imp_${t.suffix}`, type: 'view', listRule: '', viewQuery: `SELECT * FROM ${t.col('accounts')}` },
      ],
    }),
    expectStatus: 400,
    expectBody: { data: { collections: { '0': { viewQuery: { code: 'validation_invalid_view_query' } } } } },
    after: async (t) => assert.equal((await t.su.get(`/api/collections/imp_${t.suffix}`)).status, 404),
  },
  {
    name: 'control: count(*) and arithmetic are no wildcards',
    method: 'POST',
    url: '/api/collections',
    auth: 'superuser',
    before: sources,
    body: (t) => ({
      name: `ok_${t.suffix}`,
      type: 'view',
      viewQuery: `SELECT author AS id, count(*) AS n, count(*) * 2 AS twice FROM ${t.col('posts')} GROUP BY author`,
    }),
    expectStatus: 200,
    expectBody: { fields: [{ name: 'id' }, { name: 'n' }, { name: 'twice' }] },
  },
]);
