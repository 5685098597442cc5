// POST /api/collections/meta/view-preview (nestbase's own, for the dashboard's view query editor): the fields a
// view collection would get and its first 10 rows, with the same refusals as saving one, and nothing saved.
import assert from 'node:assert/strict';

import { any, DEFAULT_PASSWORD, OPEN_RULES, runScenarios, ScenarioContext, text } from '@lib/testing';

const URL = '/api/collections/meta/view-preview';

/** `notes` (title, hidden secret) with 12 rows and an auth collection `members` with one member. */
async function notes(t: ScenarioContext): Promise<void> {
  await t.createCollection({ name: 'notes', ...OPEN_RULES, fields: [text('title'), text('secret', { hidden: true })] });
  for (let i = 0; i < 12; i++) {
    await t.createRecord('notes', { title: `note ${String(i).padStart(2, '0')}`, secret: 's' });
  }
  await t.createCollection({ name: 'members', type: 'auth', fields: [] });
  await t.createRecord('members', {
    email: `m_${t.suffix}@example.com`,
    password: DEFAULT_PASSWORD,
    passwordConfirm: DEFAULT_PASSWORD,
  });
}

const userToken = async (t: ScenarioContext) => (await t.makeUser()).token;

async function nothingSaved(t: ScenarioContext): Promise<void> {
  const list = await t.su.expectOk<{ items: { name: string }[] }>('GET', '/api/collections?perPage=500');
  assert.ok(!list.items.some((c) => c.name.startsWith('nb_view_preview_')), 'no preview collection');
}

runScenarios('POST /api/collections/meta/view-preview', [
  {
    name: 'guest',
    method: 'POST',
    url: URL,
    auth: 'guest',
    body: { viewQuery: 'SELECT 1 AS id' },
    expectStatus: 401,
    expectBody: { data: {} },
  },
  {
    name: 'regular user',
    method: 'POST',
    url: URL,
    auth: userToken,
    body: { viewQuery: 'SELECT 1 AS id' },
    expectStatus: 403,
  },
  {
    name: 'blank query → 400 at viewQuery',
    method: 'POST',
    url: URL,
    auth: 'superuser',
    body: { viewQuery: '  ' },
    expectStatus: 400,
    expectBody: { status: 400, data: { viewQuery: { code: 'validation_required', message: any(String) } } },
  },
  {
    name: 'SQL error → 400 with the database message at viewQuery',
    method: 'POST',
    url: URL,
    auth: 'superuser',
    body: { viewQuery: 'SELECT id, nope FROM _nowhere_' },
    expectStatus: 400,
    expectBody: { status: 400, data: { viewQuery: { code: 'validation_invalid_view_query', message: any(String) } } },
    after: nothingSaved,
  },
  {
    name: 'no id column → 400',
    method: 'POST',
    url: URL,
    auth: 'superuser',
    before: notes,
    body: (t) => ({ viewQuery: `SELECT title FROM ${t.col('notes')}` }),
    expectStatus: 400,
    expectBody: { data: { viewQuery: { message: 'The view query must select an id column.' } } },
  },
  {
    name: 'credentials refused as on save',
    method: 'POST',
    url: URL,
    auth: 'superuser',
    before: notes,
    body: (t) => ({ viewQuery: `SELECT id, password FROM ${t.col('members')}` }),
    expectStatus: 400,
    expectBody: { data: { viewQuery: { code: 'validation_invalid_view_query' } } },
    expectNotContains: ['$2'],
  },
  {
    name: 'fields as a view would derive them, the first 10 rows, nothing saved',
    method: 'POST',
    url: URL,
    auth: 'superuser',
    before: notes,
    body: (t) => ({ viewQuery: `SELECT id, title, secret, 2 * 3 AS six FROM ${t.col('notes')} ORDER BY title` }),
    expectStatus: 200,
    expectBody: {
      fields: [
        { name: 'id', type: 'text' },
        { name: 'title', type: 'text', hidden: false },
        { name: 'secret', type: 'text', hidden: true },
        { name: 'six', type: 'json' },
      ],
    },
    after: async (t, res) => {
      const rows = res.json<{ rows: { title: string; six: number }[] }>().rows;
      assert.equal(rows.length, 10);
      assert.deepEqual([rows[0].title, rows[9].title, rows[0].six], ['note 00', 'note 09', 6]);
      await nothingSaved(t);
    },
  },
]);
