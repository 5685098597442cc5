import {
  any,
  bool,
  date,
  editor,
  email,
  geoPoint,
  json,
  num,
  OPEN_RULES,
  relation,
  runScenarios,
  Scenario,
  ScenarioContext,
  select,
  text,
  url,
} from '@lib/testing';

/** refs(r1,r2,r3) and a `things` collection with one field of every type and its options. */
async function things(t: ScenarioContext): Promise<void> {
  const refs = await t.createCollection({ name: 'refs', ...OPEN_RULES, fields: [text('label')] });
  for (const label of ['r1', 'r2', 'r3']) {
    t.vars[label] = (await t.createRecord('refs', { label })).id;
  }
  await t.createCollection({
    name: 'things',
    ...OPEN_RULES,
    fields: [
      text('title', { min: 3, max: 10, pattern: '^[a-z]*$' }),
      num('count', { min: 1, max: 100, onlyInt: true }),
      bool('flag'),
      email('mail', { onlyDomains: ['example.com'] }),
      url('link', { exceptDomains: ['bad.example'] }),
      select('one', ['a', 'b', 'c']),
      select('many', ['a', 'b', 'c'], { maxSelect: 2 }),
      relation('ref', refs.id, { maxSelect: 1 }),
      relation('refs', refs.id, { maxSelect: 2 }),
      json('meta', { maxSize: 50 }),
      date('when', { min: '2020-01-01 00:00:00.000Z' }),
      geoPoint('loc'),
      editor('body'),
    ],
  });
}

/** One create that must fail with `code` on `field`. */
function invalid(
  name: string,
  body: Record<string, unknown> | ((t: ScenarioContext) => Record<string, unknown>),
  field: string,
  code: unknown,
): Scenario {
  return {
    name,
    method: 'POST',
    url: (t) => t.records('things'),
    body,
    before: things,
    expectStatus: 400,
    expectBody: {
      status: 400,
      message: 'Failed to create record.',
      data: { [field]: { code: code as string, message: any(String) } },
    },
  };
}

/** One create that must succeed and echo `expected`. */
function valid(
  name: string,
  body: Record<string, unknown> | ((t: ScenarioContext) => Record<string, unknown>),
  expected: Record<string, unknown>,
): Scenario {
  return {
    name,
    method: 'POST',
    url: (t) => t.records('things'),
    body,
    before: things,
    expectStatus: 200,
    expectBody: expected as Record<string, string>,
  };
}

runScenarios('record field validation (create)', [
  valid(
    'empty body → every zero value',
    {},
    {
      title: '',
      count: 0,
      flag: false,
      mail: '',
      link: '',
      one: '',
      many: [],
      ref: '',
      refs: [],
      meta: null,
      when: '',
      loc: { lon: 0, lat: 0 },
      body: '',
    },
  ),
  invalid('text below min', { title: 'ab' }, 'title', 'validation_min_text_constraint'),
  invalid('text above max', { title: 'abcdefghijk' }, 'title', 'validation_max_text_constraint'),
  invalid('text not matching the pattern', { title: 'ABCD' }, 'title', 'validation_invalid_format'),
  invalid('number not an integer', { count: 1.5 }, 'count', 'validation_only_int_constraint'),
  invalid('number above max', { count: 101 }, 'count', 'validation_max_number_constraint'),
  invalid('number below min', { count: -3 }, 'count', 'validation_min_number_constraint'),
  invalid('email malformed', { mail: 'not-an-email' }, 'mail', 'validation_is_email'),
  invalid('email domain not allowed', { mail: 'x@other.com' }, 'mail', 'validation_email_domain_not_allowed'),
  invalid('url malformed', { link: 'not a url' }, 'link', 'validation_invalid_url'),
  invalid('url domain excluded', { link: 'https://bad.example/x' }, 'link', 'validation_url_domain_not_allowed'),
  invalid('select value not in the list', { one: 'z' }, 'one', 'validation_invalid_value'),
  invalid('multi select with an unknown value', { many: ['a', 'z'] }, 'many', 'validation_invalid_value'),
  invalid('multi select over maxSelect', { many: ['a', 'b', 'c'] }, 'many', 'validation_too_many_values'),
  invalid('relation to a missing record', { ref: 'missingmissing1' }, 'ref', 'validation_missing_rel_records'),
  invalid(
    'multi relation over maxSelect',
    (t) => ({ refs: [t.vars.r1, t.vars.r2, t.vars.r3] }),
    'refs',
    'validation_too_many_values',
  ),
  invalid('json over maxSize', { meta: { text: 'x'.repeat(100) } }, 'meta', 'validation_json_size_limit'),
  invalid('date before min', { when: '2019-06-01 00:00:00.000Z' }, 'when', any(String)),
  invalid('geoPoint latitude out of range', { loc: { lon: 10, lat: 95 } }, 'loc', 'validation_invalid_latitude'),
  invalid('geoPoint longitude out of range', { loc: { lon: 190, lat: 10 } }, 'loc', 'validation_invalid_longitude'),
  {
    name: 'several invalid fields are all reported',
    method: 'POST',
    url: (t) => t.records('things'),
    body: { title: 'ab', count: 500, one: 'z' },
    before: things,
    expectStatus: 400,
    expectBody: {
      data: {
        title: { code: 'validation_min_text_constraint' },
        count: { code: 'validation_max_number_constraint' },
        one: { code: 'validation_invalid_value' },
      },
    },
  },
  valid(
    'valid values of every type',
    (t) => ({
      title: 'abc',
      count: 7,
      flag: true,
      mail: 'a@example.com',
      link: 'https://ok.example/path',
      one: 'b',
      many: ['a', 'c'],
      ref: t.vars.r1,
      refs: [t.vars.r2, t.vars.r1],
      meta: { a: [1, 2, { b: null }] },
      when: '2024-01-31 13:45:00.123Z',
      loc: { lon: 23.32, lat: 42.69 },
      body: '<p>hi</p>',
    }),
    {
      title: 'abc',
      count: 7,
      flag: true,
      one: 'b',
      many: ['a', 'c'],
      meta: { a: [1, 2, { b: null }] },
      when: '2024-01-31 13:45:00.123Z',
      loc: { lon: 23.32, lat: 42.69 },
      body: '<p>hi</p>',
    },
  ),
  {
    name: 'relation values keep the submitted order',
    method: 'POST',
    url: (t) => t.records('things'),
    body: (t) => ({ refs: [t.vars.r2, t.vars.r1] }),
    before: things,
    expectStatus: 200,
    expectBody: (t) => ({ refs: [t.vars.r2, t.vars.r1], ref: '' }),
  },
  valid('a single select keeps the last of several values', { one: ['a', 'c'] }, { one: 'c' }),
  valid('numeric strings become numbers', { count: '42' }, { count: 42 }),
  valid('an RFC 3339 date is normalized', { when: '2024-02-03T04:05:06Z' }, { when: '2024-02-03 04:05:06.000Z' }),
  valid('a JSON-looking string is stored as JSON', { meta: '[1,2]' }, { meta: [1, 2] }),
  valid('any other string is stored as a JSON string', { meta: 'hello' }, { meta: 'hello' }),
  valid('a relation id can be sent as a one-item array', (t) => ({ ref: [t.vars.r3] }), { ref: any(String) }),
]);

runScenarios('record field validation (required)', [
  {
    name: 'required fields of every kind report validation_required',
    method: 'POST',
    url: (t) => t.records('req'),
    body: { t: '', n: 0, b: false, s: '', j: {} },
    before: async (t) => {
      await t.createCollection({
        name: 'req',
        ...OPEN_RULES,
        fields: [
          text('t', { required: true }),
          num('n', { required: true }),
          bool('b', { required: true }),
          select('s', ['x'], { required: true }),
          json('j', { required: true }),
          relation('r', '_pb_users_auth_', { required: true, maxSelect: 1 }),
          email('e', { required: true }),
        ],
      });
    },
    expectStatus: 400,
    expectBody: {
      data: {
        t: { code: 'validation_required' },
        n: { code: 'validation_required' },
        b: { code: 'validation_required' },
        s: { code: 'validation_required' },
        j: { code: 'validation_required' },
        r: { code: 'validation_required' },
        e: { code: 'validation_required' },
      },
    },
  },
]);
