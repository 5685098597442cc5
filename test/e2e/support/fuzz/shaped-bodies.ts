// Bodies shaped like what a route reads, so that generated requests get past the first check: collection
// definitions (fields of every type with options of any type, indexes, rules, view queries, auth options) and
// record values that are plausible for their field, or hostile.
import fc from 'fast-check';

import { expression } from './expressions';
import { hostileText } from './strings';
import type { World } from './world';

const FIELD_TYPES = [
  'text',
  'number',
  'bool',
  'email',
  'url',
  'editor',
  'date',
  'autodate',
  'select',
  'json',
  'relation',
  'file',
  'password',
  'geoPoint',
  'nope',
];

const OPTIONS = [
  'required',
  'hidden',
  'presentable',
  'help',
  'min',
  'max',
  'pattern',
  'autogeneratePattern',
  'primaryKey',
  'onlyInt',
  'exceptDomains',
  'onlyDomains',
  'maxSize',
  'convertURLs',
  'onCreate',
  'onUpdate',
  'values',
  'maxSelect',
  'minSelect',
  'collectionId',
  'cascadeDelete',
  'mimeTypes',
  'thumbs',
  'protected',
  'cost',
  'id',
  'system',
];

function optionValue(world: World): fc.Arbitrary<unknown> {
  return fc.oneof(
    fc.boolean(),
    fc.integer({ min: -5, max: 100 }),
    fc.double(),
    fc.constantFrom('', '(', '[a-', '^\\w+$', '.*', '100x100', '0x0', 'image/png', 'example.com', '2024-01-01'),
    fc.constantFrom(...world.collectionIds),
    fc.array(fc.constantFrom('a', 'b', '', '100x100', '10x0f', 'image/png', 'example.com'), { maxLength: 3 }),
    fc.jsonValue({ maxDepth: 2 }),
    hostileText,
  );
}

function field(world: World): fc.Arbitrary<Record<string, unknown>> {
  const base = fc.record({
    name: fc.oneof(
      fc.stringMatching(/^[a-z]\w{0,8}$/),
      fc.constantFrom('id', 'email', 'password', 'expand'),
      hostileText,
    ),
    type: fc.constantFrom(...FIELD_TYPES),
  });
  return fc
    .tuple(base, fc.dictionary(fc.constantFrom(...OPTIONS), optionValue(world), { maxKeys: 4 }))
    .map(([b, options]) => ({ ...options, ...b }));
}

const INDEXES = [
  'CREATE INDEX idx_x ON x (title)',
  'CREATE UNIQUE INDEX idx_u ON t (`a`, `b` COLLATE NOCASE DESC) WHERE a != ""',
  'CREATE INDEX idx_w ON t (a) WHERE 1=1; DROP TABLE _collections',
  'DROP TABLE users',
];

const QUERIES = [
  'SELECT id FROM users',
  'SELECT id, title FROM fz',
  'SELECT * FROM _superusers',
  'WITH x AS (SELECT 1 AS id) SELECT id FROM x',
  'SELECT id FROM users; DELETE FROM users',
  'SELECT id, (SELECT group_concat(password) FROM _superusers) AS p FROM users',
];

/** A collection definition for `POST /api/collections` and `PATCH /api/collections/:collection`. */
export function collectionBody(world: World): fc.Arbitrary<Record<string, unknown>> {
  const rule = fc.option(fc.oneof(expression(world), fc.constant('')), { nil: null });
  return fc.record(
    {
      name: fc.oneof(fc.stringMatching(/^fzc_[a-z0-9]{1,8}$/), hostileText),
      type: fc.constantFrom('base', 'auth', 'view', 'nope'),
      fields: fc.array(field(world), { maxLength: 5 }),
      indexes: fc.array(fc.oneof(fc.constantFrom(...INDEXES), hostileText), { maxLength: 2 }),
      listRule: rule,
      viewRule: rule,
      createRule: rule,
      viewQuery: fc.oneof(fc.constantFrom(...QUERIES), hostileText),
      query: fc.oneof(fc.constantFrom(...QUERIES), hostileText),
      passwordAuth: fc.jsonValue({ maxDepth: 2 }),
      otp: fc.record({ enabled: fc.boolean(), length: fc.integer({ min: -1, max: 20 }), duration: fc.integer() }),
      authToken: fc.jsonValue({ maxDepth: 2 }),
    },
    { requiredKeys: ['name', 'type', 'fields'] },
  );
}

/** A record body: the open collection's fields (and modifiers) with plausible or hostile values. */
export function recordBody(world: World): fc.Arbitrary<Record<string, unknown>> {
  const value = fc.oneof(
    fc.double(),
    fc.integer(),
    fc.boolean(),
    fc.constantFrom('a', 'b', 'c', 'x@example.com', 'http://example.com/a', '2024-01-01 00:00:00.000Z', '<p>x</p>'),
    fc.constantFrom(world.memberId, world.lockedId, world.openId, ...world.fileNames),
    fc.array(fc.constantFrom('a', 'b', 'c', world.memberId, ...world.fileNames), { maxLength: 3 }),
    fc.record({ lon: fc.double(), lat: fc.double() }),
    fc.jsonValue({ maxDepth: 3 }),
    hostileText,
  );
  const key = fc.constantFrom(
    ...world.fields,
    'n+',
    'n-',
    's+',
    '+s',
    's-',
    'f-',
    'f+',
    'r+',
    'id',
    'title:autogenerate',
  );
  return fc.dictionary(key, value, { maxKeys: 6 });
}
