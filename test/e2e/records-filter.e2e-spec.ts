import { arrayOfLength, num, OPEN_RULES, relation, runScenarios, ScenarioContext, select, text } from '@lib/testing';

/** items n=1..5, title item<n>, tags, note (empty for odd n), hidden secret. */
async function items(t: ScenarioContext, listRule: string | null = ''): Promise<void> {
  await t.createCollection({
    name: 'items',
    ...OPEN_RULES,
    listRule,
    fields: [
      text('title'),
      num('n'),
      select('tags', ['red', 'blue', 'green'], { maxSelect: 3 }),
      text('note'),
      text('secret', { hidden: true }),
    ],
  });
  const tags = [['red'], ['red', 'blue'], [], ['blue', 'green'], ['green']];
  for (const n of [1, 2, 3, 4, 5]) {
    await t.createRecord('items', {
      title: `item${n}`,
      n,
      tags: tags[n - 1],
      note: n % 2 ? '' : `note${n}`,
      secret: `s${n}`,
    });
  }
}
const seeded = (t: ScenarioContext): Promise<void> => items(t);
const f = (filter: string) => (t: ScenarioContext) =>
  t.records('items', undefined, `?sort=n&filter=${encodeURIComponent(filter)}`);
const ns = (...values: number[]) => ({ items: values.map((n) => ({ n })) });

runScenarios('GET /api/collections/:c/records?filter=', [
  {
    name: 'comparison',
    method: 'GET',
    url: f('n > 3'),
    before: seeded,
    expectStatus: 200,
    expectBody: { totalItems: 2, ...ns(4, 5) },
  },
  {
    name: 'equality on text',
    method: 'GET',
    url: f('title = "item2"'),
    before: seeded,
    expectStatus: 200,
    expectBody: ns(2),
  },
  {
    name: '!= and >=',
    method: 'GET',
    url: f('n != 2 && n >= 2'),
    before: seeded,
    expectStatus: 200,
    expectBody: ns(3, 4, 5),
  },
  {
    name: '~ is a contains LIKE',
    method: 'GET',
    url: f("title ~ 'em3'"),
    before: seeded,
    expectStatus: 200,
    expectBody: ns(3),
  },
  {
    name: '!~ negates it',
    method: 'GET',
    url: f('title !~ "item"'),
    before: seeded,
    expectStatus: 200,
    expectBody: ns(),
  },
  {
    name: '~ with an explicit % wildcard',
    method: 'GET',
    url: f('title ~ "item%"'),
    before: seeded,
    expectStatus: 200,
    expectBody: ns(1, 2, 3, 4, 5),
  },
  {
    name: '&& binds tighter than ||',
    method: 'GET',
    url: f('n = 1 || n = 2 && n = 3'),
    before: seeded,
    expectStatus: 200,
    expectBody: ns(1),
  },
  {
    name: 'parentheses',
    method: 'GET',
    url: f('(n = 1 || n = 2) && title ~ "2"'),
    before: seeded,
    expectStatus: 200,
    expectBody: ns(2),
  },
  {
    name: '= "" matches empty values',
    method: 'GET',
    url: f('note = ""'),
    before: seeded,
    expectStatus: 200,
    expectBody: ns(1, 3, 5),
  },
  {
    name: '!= "" means non-empty',
    method: 'GET',
    url: f('note != ""'),
    before: seeded,
    expectStatus: 200,
    expectBody: ns(2, 4),
  },
  {
    name: '= null is the same as = ""',
    method: 'GET',
    url: f('note = null'),
    before: seeded,
    expectStatus: 200,
    expectBody: ns(1, 3, 5),
  },
  {
    name: 'multi select ?= (any)',
    method: 'GET',
    url: f("tags ?= 'blue'"),
    before: seeded,
    expectStatus: 200,
    expectBody: ns(2, 4),
  },
  {
    name: "multi select plain ~ matches the stored JSON text (PocketBase's contains)",
    method: 'GET',
    url: f("tags ~ 'blue'"),
    before: seeded,
    expectStatus: 200,
    expectBody: ns(2, 4),
  },
  {
    name: 'multi select plain !~',
    method: 'GET',
    url: f("tags !~ 'red'"),
    before: seeded,
    expectStatus: 200,
    expectBody: ns(3, 4, 5),
  },
  {
    name: 'rule members ~ @request.auth.id: a member of several sees the record',
    method: 'GET',
    url: (t) => t.records('teams'),
    before: async (t) => {
      const [alice, bob, carol] = [await t.makeUser(), await t.makeUser(), await t.makeUser()];
      await t.createCollection({
        name: 'teams',
        ...OPEN_RULES,
        listRule: 'members ~ @request.auth.id',
        fields: [text('name'), relation('members', '_pb_users_auth_', { maxSelect: 5 })],
      });
      await t.createRecord('teams', { name: 'ab', members: [alice.record.id, bob.record.id] });
      await t.createRecord('teams', { name: 'c', members: [carol.record.id] });
      t.auth(bob);
    },
    expectStatus: 200,
    expectBody: { totalItems: 1, items: [{ name: 'ab' }] },
  },
  {
    name: 'multi select :length',
    method: 'GET',
    url: f('tags:length = 2'),
    before: seeded,
    expectStatus: 200,
    expectBody: ns(2, 4),
  },
  {
    name: 'multi select :each (all)',
    method: 'GET',
    url: f("tags:each != 'red' && tags:length > 0"),
    before: seeded,
    expectStatus: 200,
    expectBody: ns(4, 5),
  },
  {
    name: ':lower modifier',
    method: 'GET',
    url: f('title:lower = "item4"'),
    before: seeded,
    expectStatus: 200,
    expectBody: ns(4),
  },
  {
    name: 'comments are ignored',
    method: 'GET',
    url: f('n = 5 // only five\n'),
    before: seeded,
    expectStatus: 200,
    expectBody: ns(5),
  },
  {
    name: 'single-quoted text with an escaped quote',
    method: 'GET',
    url: f("title = 'it\\'s'"),
    before: seeded,
    expectStatus: 200,
    expectBody: ns(),
  },
  {
    name: 'syntax error → 400',
    method: 'GET',
    url: f('n >'),
    before: seeded,
    expectStatus: 400,
    expectBody: { status: 400, data: {} },
  },
  {
    name: 'unbalanced parenthesis → 400',
    method: 'GET',
    url: f('(n = 1'),
    before: seeded,
    expectStatus: 400,
    expectBody: { status: 400 },
  },
  { name: 'unknown operator → 400', method: 'GET', url: f('n === 1'), before: seeded, expectStatus: 400 },
  {
    name: 'unknown field → 400',
    method: 'GET',
    url: f('nope = 1'),
    before: seeded,
    expectStatus: 400,
    expectBody: { status: 400, data: {} },
  },
  {
    name: 'guest filtering on a hidden field → 400',
    method: 'GET',
    url: f('secret = "s1"'),
    before: seeded,
    expectStatus: 400,
  },
  {
    name: 'superuser may filter on a hidden field',
    method: 'GET',
    url: f('secret = "s1"'),
    auth: 'superuser',
    before: seeded,
    expectStatus: 200,
    expectBody: ns(1),
  },
  {
    name: 'guest filter with @request → 403',
    method: 'GET',
    url: f('@request.auth.id = ""'),
    before: seeded,
    expectStatus: 403,
    expectBody: { status: 403, data: {} },
  },
  {
    name: 'user filter with @collection → 403',
    method: 'GET',
    url: f('@collection.users.id != ""'),
    before: async (t) => {
      await items(t);
      t.auth(await t.makeUser());
    },
    expectStatus: 403,
    expectBody: { status: 403, data: {} },
  },
  {
    name: 'superuser may use @request in a filter',
    method: 'GET',
    url: f('@request.auth.id != "" && n = 1'),
    auth: 'superuser',
    before: seeded,
    expectStatus: 200,
    expectBody: ns(1),
  },
  {
    name: 'listRule and filter combine; totals follow the rule',
    method: 'GET',
    url: f('n < 5'),
    before: (t) => items(t, 'n >= 3'),
    expectStatus: 200,
    expectBody: { totalItems: 2, ...ns(3, 4) },
  },
  {
    name: 'listRule that matches nothing → 200 and no rows',
    method: 'GET',
    url: (t) => t.records('items'),
    before: (t) => items(t, 'n > 100'),
    expectStatus: 200,
    expectBody: { totalItems: 0, items: [] },
  },
  {
    name: 'filter longer than 3500 chars → 400',
    method: 'GET',
    url: f(`title = "${'x'.repeat(3600)}"`),
    before: seeded,
    expectStatus: 400,
  },
  {
    name: 'more than 200 comparisons → 400',
    method: 'GET',
    url: f(Array.from({ length: 201 }, (_, i) => `n = ${i}`).join(' || ')),
    before: seeded,
    expectStatus: 400,
  },
  {
    name: 'macros are accepted (@now)',
    method: 'GET',
    url: f('title != @now'),
    before: seeded,
    expectStatus: 200,
    expectBody: { items: arrayOfLength(5) },
  },
]);
