import { any, arrayOfLength, bool, LOCKED_RULES, num, OPEN_RULES, runScenarios, ScenarioContext, text } from '@lib/testing';

/** items: 5 records n=1..5 inserted in order 3,1,5,2,4; title "item<n>"; `secret` hidden. */
async function items(t: ScenarioContext, rules: Record<string, string | null> = OPEN_RULES): Promise<void> {
  await t.createCollection({
    name: 'items',
    ...rules,
    fields: [text('title'), num('n'), bool('even'), text('secret', { hidden: true })],
  });
  for (const n of [3, 1, 5, 2, 4]) {
    await t.createRecord('items', { title: `item${n}`, n, even: n % 2 === 0, secret: `s${n}` });
  }
}
const seeded = (t: ScenarioContext): Promise<void> => items(t);
const ns = (...values: number[]) => values.map((n) => ({ n }));

runScenarios('GET /api/collections/:c/records (paging and sorting)', [
  {
    name: 'missing collection → 404',
    method: 'GET',
    url: '/api/collections/missing_collection_x/records',
    expectStatus: 404,
    expectBody: { status: 404, data: {} },
  },
  {
    name: 'guest on a null listRule → 403',
    method: 'GET',
    url: (t) => t.records('items'),
    before: (t) => items(t, LOCKED_RULES),
    expectStatus: 403,
    expectBody: { status: 403, data: {} },
  },
  {
    name: 'user on a null listRule → 403',
    method: 'GET',
    url: (t) => t.records('items'),
    before: async (t) => {
      await items(t, LOCKED_RULES);
      t.auth(await t.makeUser());
    },
    expectStatus: 403,
    expectBody: { status: 403, data: {} },
  },
  {
    name: 'superuser on a null listRule → 200',
    method: 'GET',
    url: (t) => t.records('items'),
    auth: 'superuser',
    before: (t) => items(t, LOCKED_RULES),
    expectStatus: 200,
    expectBody: { totalItems: 5, items: arrayOfLength(5) },
  },
  {
    name: 'public list: envelope, defaults, insertion order, record shape',
    method: 'GET',
    url: (t) => t.records('items'),
    before: seeded,
    expectStatus: 200,
    expectBody: (t) => ({
      page: 1,
      perPage: 30,
      totalItems: 5,
      totalPages: 1,
      items: [
        { collectionId: t.id('items'), collectionName: t.col('items'), id: any(String), title: 'item3', n: 3, even: false },
        ...ns(1, 5, 2, 4),
      ],
    }),
    expectNotContains: ['"secret"', '"s3"'],
  },
  {
    name: 'the collection id works in the path',
    method: 'GET',
    url: (t) => `/api/collections/${t.id('items')}/records`,
    before: seeded,
    expectStatus: 200,
    expectBody: { totalItems: 5 },
  },
  {
    name: 'superuser sees hidden fields',
    method: 'GET',
    url: (t) => t.records('items', undefined, '?sort=n&perPage=1'),
    auth: 'superuser',
    before: seeded,
    expectStatus: 200,
    expectBody: { items: [{ n: 1, secret: 's1' }] },
  },
  {
    name: 'page 2 of 3',
    method: 'GET',
    url: (t) => t.records('items', undefined, '?page=2&perPage=2&sort=n'),
    before: seeded,
    expectStatus: 200,
    expectBody: { page: 2, perPage: 2, totalItems: 5, totalPages: 3, items: ns(3, 4) },
  },
  {
    name: 'page past the end → empty items',
    method: 'GET',
    url: (t) => t.records('items', undefined, '?page=9&perPage=2'),
    before: seeded,
    expectStatus: 200,
    expectBody: { page: 9, totalItems: 5, items: [] },
  },
  {
    name: 'perPage above 1000 is clamped',
    method: 'GET',
    url: (t) => t.records('items', undefined, '?perPage=5000'),
    before: seeded,
    expectStatus: 200,
    expectBody: { perPage: 1000, items: arrayOfLength(5) },
  },
  {
    name: 'perPage=0 and page=0 fall back to the defaults',
    method: 'GET',
    url: (t) => t.records('items', undefined, '?perPage=0&page=0'),
    before: seeded,
    expectStatus: 200,
    expectBody: { page: 1, perPage: 30 },
  },
  {
    name: 'negative page/perPage fall back to the defaults',
    method: 'GET',
    url: (t) => t.records('items', undefined, '?perPage=-5&page=-1'),
    before: seeded,
    expectStatus: 200,
    expectBody: { page: 1, perPage: 30 },
  },
  {
    name: 'non-integer perPage → 400',
    method: 'GET',
    url: (t) => t.records('items', undefined, '?perPage=abc'),
    before: seeded,
    expectStatus: 400,
    expectBody: { status: 400, data: {} },
  },
  {
    name: 'non-integer page → 400',
    method: 'GET',
    url: (t) => t.records('items', undefined, '?page=1.5'),
    before: seeded,
    expectStatus: 400,
  },
  {
    name: 'skipTotal → totals are -1',
    method: 'GET',
    url: (t) => t.records('items', undefined, '?skipTotal=1&perPage=2&sort=n'),
    before: seeded,
    expectStatus: 200,
    expectBody: { page: 1, perPage: 2, totalItems: -1, totalPages: -1, items: ns(1, 2) },
  },
  {
    name: 'skipTotal=true works too',
    method: 'GET',
    url: (t) => t.records('items', undefined, '?skipTotal=true'),
    before: seeded,
    expectStatus: 200,
    expectBody: { totalItems: -1, totalPages: -1, items: arrayOfLength(5) },
  },
  {
    name: 'skipTotal with a bad bool → 400',
    method: 'GET',
    url: (t) => t.records('items', undefined, '?skipTotal=maybe'),
    before: seeded,
    expectStatus: 400,
  },
  {
    name: 'sort descending',
    method: 'GET',
    url: (t) => t.records('items', undefined, '?sort=-n'),
    before: seeded,
    expectStatus: 200,
    expectBody: { items: ns(5, 4, 3, 2, 1) },
  },
  {
    name: 'multi-key sort (+ prefix = ascending)',
    method: 'GET',
    url: (t) => t.records('items', undefined, `?sort=${encodeURIComponent('-even,+n')}`),
    before: seeded,
    expectStatus: 200,
    expectBody: { items: ns(2, 4, 1, 3, 5) },
  },
  {
    name: 'sort by -@rowid reverses insertion order',
    method: 'GET',
    url: (t) => t.records('items', undefined, '?sort=-@rowid'),
    before: seeded,
    expectStatus: 200,
    expectBody: { items: ns(4, 2, 5, 1, 3) },
  },
  {
    name: 'sort by @random returns everything',
    method: 'GET',
    url: (t) => t.records('items', undefined, '?sort=@random'),
    before: seeded,
    expectStatus: 200,
    expectBody: { items: arrayOfLength(5) },
  },
  {
    name: 'sort by an unknown field → 400',
    method: 'GET',
    url: (t) => t.records('items', undefined, '?sort=nope'),
    before: seeded,
    expectStatus: 400,
    expectBody: { status: 400, data: {} },
  },
  {
    name: 'guest sort by a hidden field → 400',
    method: 'GET',
    url: (t) => t.records('items', undefined, '?sort=secret'),
    before: seeded,
    expectStatus: 400,
  },
  {
    name: 'guest sort with @request → 403',
    method: 'GET',
    url: (t) => t.records('items', undefined, `?sort=${encodeURIComponent('@request.auth.id')}`),
    before: seeded,
    expectStatus: 403,
    expectBody: { status: 403, data: {} },
  },
  {
    name: 'more than 8 sort fields → 400',
    method: 'GET',
    url: (t) => t.records('items', undefined, `?sort=${Array(9).fill('n').join(',')}`),
    before: seeded,
    expectStatus: 400,
  },
]);
