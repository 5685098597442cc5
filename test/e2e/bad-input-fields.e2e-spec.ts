// Bad-input corpus, record field values: a wrong type for every field type is a 400 naming the field (nothing
// stored), or the documented 200 where PocketBase casts (bool, date, autodate, json text); Unicode edge cases in
// values are stored as they are or refused, never a crash.
import assert from 'node:assert/strict';

import {
  autodate,
  bool,
  date,
  editor,
  email,
  file,
  geoPoint,
  json,
  num,
  OPEN_RULES,
  relation,
  runScenarios,
  Scenario,
  ScenarioContext,
  select,
  targetOnPostgres,
  text,
  url,
} from '@lib/testing';

import { envelope, hostileRows, UNICODE, URL_UNICODE, withBytes } from './support/hostile';

/** `typed`: an open collection with one field of every type. */
async function typed(t: ScenarioContext): Promise<void> {
  await t.createCollection({
    name: 'typed',
    ...OPEN_RULES,
    fields: [
      text('title', { max: 50 }),
      num('n'),
      bool('b'),
      email('em'),
      url('u'),
      editor('ed'),
      date('d'),
      autodate('ad', { onCreate: true }),
      select('s', ['a', 'b']),
      json('j'),
      relation('r', '_pb_users_auth_', { maxSelect: 1 }),
      file('f', { maxSelect: 1 }),
      geoPoint('g'),
    ],
  });
}

/** `{field: value}` on create → 400 with `data[field].code`, nothing stored. */
function refused(field: string, value: unknown, code: string): Scenario {
  return {
    name: `${field} = ${JSON.stringify(value) ?? String(value)} → 400 ${code}`,
    method: 'POST',
    url: (t) => t.records('typed'),
    body: { [field]: value },
    before: typed,
    expectStatus: 400,
    expectBody: envelope(400, { data: { [field]: { code } } }),
    after: async (t) => assert.equal(await t.countRecords('typed'), 0),
  };
}

/** `{field: value}` on create → 200 and the stored value is `stored` (PocketBase casts it). */
function cast(field: string, value: unknown, stored: unknown): Scenario {
  return {
    name: `${field} = ${JSON.stringify(value)} → 200, stored as ${JSON.stringify(stored)}`,
    method: 'POST',
    url: (t) => t.records('typed'),
    body: { [field]: value },
    before: typed,
    expectStatus: 200,
    after: async (t, res) => {
      const saved = await t.findRecord('typed', res.json<{ id: string }>().id);
      assert.deepEqual(saved?.[field], stored);
    },
  };
}

runScenarios(
  'bad input: wrong types for every field type',
  hostileRows([
    refused('title', { a: 1 }, 'validation_invalid_value'),
    refused('title', ['x', 'y'], 'validation_invalid_value'),
    refused('title', 'x'.repeat(51), 'validation_max_text_constraint'),
    refused('n', { a: 1 }, 'validation_invalid_number'),
    refused('n', 'twelve', 'validation_invalid_number'),
    refused('n', [1, 2], 'validation_invalid_number'),
    cast('b', { a: 1 }, false),
    cast('b', 'no', false),
    refused('em', { a: 1 }, 'validation_invalid_value'),
    refused('em', 'not-an-email', 'validation_is_email'),
    refused('em', `a${UNICODE.nul}@example.com`, 'validation_is_email'),
    refused('em', 'victim@example.com\u0000.evil.com', 'validation_is_email'),
    refused('em', `a${UNICODE.loneSurrogate}@example.com`, 'validation_is_email'),
    refused('u', 'javascript:alert(1)', 'validation_invalid_url'),
    refused('u', ['http://a.example'], 'validation_invalid_value'),
    refused('u', `http://ex${UNICODE.nul}ample.com/`, 'validation_invalid_url'),
    refused('ed', { html: '<p>x</p>' }, 'validation_invalid_value'),
    cast('d', { a: 1 }, ''),
    cast('d', '2024-13-45 99:99:99', ''),
    {
      name: 'ad (autodate) = "1999-01-01" → 200, the server time wins',
      method: 'POST',
      url: (t) => t.records('typed'),
      body: { ad: '1999-01-01 00:00:00.000Z' },
      before: typed,
      expectStatus: 200,
      after: async (_t, res) => assert.ok(!String(res.json<{ ad: string }>().ad).startsWith('1999')),
    },
    refused('s', 'c', 'validation_invalid_value'),
    refused('s', { a: 1 }, 'validation_invalid_value'),
    refused('s', 'e\u0301', 'validation_invalid_value'),
    cast('j', '{a:', '{a:'),
    refused('r', 'nosuchrecord123', 'validation_missing_rel_records'),
    refused('r', { id: 'x' }, 'validation_invalid_value'),
    refused('r', "x' OR '1'='1", 'validation_missing_rel_records'),
    refused('f', 'not_uploaded.txt', 'validation_invalid_file'),
    refused('f', { name: 'a.txt' }, 'validation_invalid_value'),
    refused('g', { lon: 'east', lat: 1 }, 'validation_invalid_geo_point'),
    refused('g', { lon: 500, lat: 0 }, 'validation_invalid_longitude'),
    cast('g', 'here', { lon: 0, lat: 0 }),
    refused('id', { a: 1 }, 'validation_invalid_value'),
    refused('id', '../../../etc/pa', 'validation_invalid_format'),
    refused('id', `abc${UNICODE.nul}defghijklm`.slice(0, 15), 'validation_invalid_format'),
  ]),
);

/** A text value stored and read back as sent (a title of `value`). */
function roundTrip(name: string, value: string, readBack = value): Scenario {
  return {
    name: `text with ${name} round-trips`,
    method: 'POST',
    url: (t) => t.records('typed'),
    body: { title: value, j: { [value]: value } },
    before: typed,
    expectStatus: 200,
    after: async (t, res) => {
      const saved = await t.findRecord('typed', res.json<{ id: string }>().id);
      assert.equal(saved?.title, readBack);
      assert.deepEqual(Object.keys(saved?.j ?? {}), [readBack]);
    },
  };
}

/** PostgreSQL text can't hold a NUL: a value or a filter with one is a 400 there (README "PostgreSQL"). */
const PG = targetOnPostgres();

runScenarios(
  'bad input: Unicode edge cases in field values',
  hostileRows([
    PG
      ? {
          name: 'text with NUL → 400 on PostgreSQL',
          method: 'POST',
          url: (t) => t.records('typed'),
          body: { title: UNICODE.nul },
          before: typed,
          expectStatus: 400,
        }
      : roundTrip('NUL', UNICODE.nul),
    roundTrip('right-to-left override', UNICODE.rtl),
    roundTrip('combining marks', UNICODE.combining),
    roundTrip('zero-width characters', UNICODE.zeroWidth),
    roundTrip('a lone surrogate (stored as U+FFFD, as a JSON decoder does)', UNICODE.loneSurrogate, 'a\ufffdb'),
    {
      name: 'invalid UTF-8 bytes (overlong ".", encoded surrogate, 0xFF) in a JSON body → 200, replaced by U+FFFD',
      method: 'POST',
      url: (t) => t.records('typed'),
      headers: { 'content-type': 'application/json' },
      body: withBytes('{"title":"a{bytes}b"}', [0xc0, 0xae, 0xed, 0xa0, 0x80, 0xff]),
      before: typed,
      expectStatus: 200,
      after: async (_t, res) => {
        const title = res.json<{ title: string }>().title;
        assert.ok(title.startsWith('a') && title.endsWith('b') && title.includes('\ufffd'), title);
        assert.ok(!title.includes('.'), 'an overlong "." decoded as a dot');
      },
    },
    {
      name: `a filter with a NUL in a value → ${PG ? '400 on PostgreSQL' : '200, no match'}`,
      method: 'GET',
      url: (t) => t.records('typed', undefined, `?filter=${encodeURIComponent(`title = "${UNICODE.nul}"`)}`),
      before: async (t) => {
        await typed(t);
        await t.createRecord('typed', { title: 'visible' });
      },
      ...(PG ? { expectStatus: 400 } : { expectStatus: 200, expectBody: { totalItems: 0 } }),
    },
    {
      name: 'a filter with invalid UTF-8 (an encoded surrogate) → 200, U+FFFD matches nothing',
      method: 'GET',
      url: (t) => t.records('typed', undefined, `?filter=title%3D%22${URL_UNICODE.surrogate}%22`),
      before: typed,
      expectStatus: 200,
      expectBody: { totalItems: 0 },
    },
  ]),
);
