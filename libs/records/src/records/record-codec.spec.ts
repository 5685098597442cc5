// exportRow (a row straight to its JSON, the list and view path without expand) against what it replaces:
// exportRecord of fromRow, for every field kind's stored form, hidden fields and an auth collection's email.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildCollection } from '@lib/schema';
import { exportRecord, exportRow, fromRow, type ExportOptions } from './record-codec';

const things = buildCollection(
  {
    name: 'things',
    fields: [
      { name: 'title', type: 'text' },
      { name: 'count', type: 'number' },
      { name: 'done', type: 'bool' },
      { name: 'meta', type: 'json' },
      { name: 'tags', type: 'select', maxSelect: 3, values: ['a', 'b', 'c'] },
      { name: 'secret', type: 'text', hidden: true },
      { name: 'when', type: 'date' },
    ],
  },
  undefined,
  [],
);
const people = buildCollection({ name: 'people', type: 'auth' }, undefined, []);

const thingRows: Record<string, unknown>[] = [
  {
    id: 'abc123def456ghi',
    title: 'x',
    count: 2.5,
    done: 1,
    meta: '{"a":[1,2]}',
    tags: '["a","c"]',
    secret: 's',
    when: '2026-01-02 03:04:05.678Z',
    created: '2026-01-02 03:04:05.678Z',
    updated: '2026-01-02 03:04:05.678Z',
  },
  { id: 'zzz', title: null, count: null, done: 0, meta: null, tags: null, secret: null, when: '' },
];
const personRows: Record<string, unknown>[] = [
  { id: 'p1', email: 'p1@example.com', emailVisibility: 1, verified: 0, password: 'h', tokenKey: 'k' },
  { id: 'p2', email: 'p2@example.com', emailVisibility: 0, verified: 1, password: 'h', tokenKey: 'k' },
];
const OPTIONS: ExportOptions[] = [
  { isSuperuser: false },
  { isSuperuser: true },
  { isSuperuser: false, showEmail: true },
];

void describe('exportRow', () => {
  for (const [name, collection, rows] of [
    ['a base collection', things, thingRows],
    ['an auth collection', people, personRows],
  ] as const) {
    void it(`gives exportRecord(fromRow(row)) for ${name}, key order included`, () => {
      for (const row of rows) {
        for (const options of OPTIONS) {
          const expected = exportRecord(collection, fromRow(collection, row), options);
          const actual = exportRow(collection, row, options);
          assert.deepEqual(actual, expected);
          assert.deepEqual(Object.keys(actual), Object.keys(expected));
        }
      }
    });
  }

  void it('leaves out the hidden field, the password and tokenKey, and an email not visible to a guest', () => {
    assert.equal('secret' in exportRow(things, thingRows[0], { isSuperuser: false }), false);
    assert.equal(exportRow(things, thingRows[0], { isSuperuser: true }).secret, 's');
    const hiddenEmail = exportRow(people, personRows[1], { isSuperuser: false });
    assert.equal('email' in hiddenEmail || 'password' in hiddenEmail || 'tokenKey' in hiddenEmail, false);
    assert.equal(exportRow(people, personRows[0], { isSuperuser: false }).email, 'p1@example.com');
  });
});
