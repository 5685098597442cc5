import assert from 'node:assert/strict';

import {
  matching,
  num,
  OPEN_RULES,
  relation,
  runScenarios,
  Scenario,
  ScenarioContext,
  select,
  text,
} from '@lib/testing';

/** tags(t1..t3) and `posts` with one record {views: 10, labels: [b], tagIds: [t1]}. */
async function post(t: ScenarioContext): Promise<void> {
  const tags = await t.createCollection({ name: 'tags', ...OPEN_RULES, fields: [text('name')] });
  for (const name of ['t1', 't2', 't3']) {
    t.vars[name] = (await t.createRecord('tags', { name })).id;
  }
  await t.createCollection({
    name: 'posts',
    ...OPEN_RULES,
    fields: [
      num('views'),
      select('labels', ['a', 'b', 'c', 'd'], { maxSelect: 4 }),
      relation('tagIds', tags.id, { maxSelect: 3 }),
      text('code', { autogeneratePattern: '[0-9]{6}' }),
    ],
  });
  t.vars.rec = (await t.createRecord('posts', { views: 10, labels: ['b'], tagIds: [t.vars.t1] })).id;
}

function update(
  name: string,
  body: (t: ScenarioContext) => Record<string, unknown>,
  expected: (t: ScenarioContext) => Record<string, unknown>,
): Scenario {
  return {
    name,
    method: 'PATCH',
    url: (t) => t.records('posts', t.vars.rec),
    body,
    before: post,
    expectStatus: 200,
    expectBody: (t) => expected(t) as Record<string, string>,
    after: async (t) => {
      const stored = await t.findRecord('posts', t.vars.rec);
      for (const [key, value] of Object.entries(expected(t))) {
        assert.deepEqual(stored?.[key], value, `stored ${key}`);
      }
    },
  };
}

runScenarios('field modifiers on update', [
  update(
    'number+ adds',
    () => ({ 'views+': 5 }),
    () => ({ views: 15 }),
  ),
  update(
    'number- subtracts',
    () => ({ 'views-': 3 }),
    () => ({ views: 7 }),
  ),
  update(
    'number+ with a numeric string',
    () => ({ 'views+': '2' }),
    () => ({ views: 12 }),
  ),
  update(
    'plain set wins over nothing',
    () => ({ views: 1 }),
    () => ({ views: 1 }),
  ),
  update(
    'set then modifier: shortest key first',
    () => ({ views: 100, 'views+': 1 }),
    () => ({ views: 101 }),
  ),
  update(
    'select+ appends',
    () => ({ 'labels+': 'c' }),
    () => ({ labels: ['b', 'c'] }),
  ),
  update(
    '+select prepends',
    () => ({ '+labels': ['a', 'd'] }),
    () => ({ labels: ['a', 'd', 'b'] }),
  ),
  update(
    'select- removes',
    () => ({ 'labels-': 'b' }),
    () => ({ labels: [] }),
  ),
  update(
    'select+ ignores a value already present',
    () => ({ 'labels+': 'b' }),
    () => ({ labels: ['b'] }),
  ),
  update(
    'relation+ appends',
    (t) => ({ 'tagIds+': t.vars.t2 }),
    (t) => ({ tagIds: [t.vars.t1, t.vars.t2] }),
  ),
  update(
    '+relation prepends',
    (t) => ({ '+tagIds': [t.vars.t3] }),
    (t) => ({ tagIds: [t.vars.t3, t.vars.t1] }),
  ),
  update(
    'relation- removes',
    (t) => ({ 'tagIds-': [t.vars.t1] }),
    () => ({ tagIds: [] }),
  ),
  update(
    'relation- of an absent id is a no-op',
    (t) => ({ 'tagIds-': t.vars.t3 }),
    (t) => ({ tagIds: [t.vars.t1] }),
  ),
  {
    name: 'relation+ past maxSelect → 400',
    method: 'PATCH',
    url: (t) => t.records('posts', t.vars.rec),
    body: (t) => ({ 'tagIds+': [t.vars.t2, t.vars.t3, 'missingmissing1'] }),
    before: post,
    expectStatus: 400,
    expectBody: { data: { tagIds: { code: matching(/^validation_(too_many_values|missing_rel_records)$/) } } },
  },
  {
    name: 'select+ with an unknown value → 400',
    method: 'PATCH',
    url: (t) => t.records('posts', t.vars.rec),
    body: { 'labels+': 'zzz' },
    before: post,
    expectStatus: 400,
    expectBody: { data: { labels: { code: 'validation_invalid_value' } } },
  },
  {
    name: 'text:autogenerate fills from the pattern after the prefix',
    method: 'PATCH',
    url: (t) => t.records('posts', t.vars.rec),
    body: { 'code:autogenerate': 'INV-' },
    before: post,
    expectStatus: 200,
    expectBody: { code: matching(/^INV-[0-9]{6}$/) },
  },
  {
    name: 'autogeneratePattern fills an empty text on create',
    method: 'POST',
    url: (t) => t.records('posts'),
    body: {},
    before: post,
    expectStatus: 200,
    expectBody: { code: matching(/^[0-9]{6}$/) },
  },
  {
    name: 'modifiers work on create too',
    method: 'POST',
    url: (t) => t.records('posts'),
    body: { 'views+': 4, 'labels+': ['a', 'c'] },
    before: post,
    expectStatus: 200,
    expectBody: { views: 4, labels: ['a', 'c'] },
  },
]);
