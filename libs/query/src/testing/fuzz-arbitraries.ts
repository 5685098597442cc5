import fc from 'fast-check';

/**
 * Random expression material for property tests: token soups, well-formed random comparisons over every kind of
 * identifier, mutations of valid expressions. Text literals start with `LITERAL_MARK` and numbers with
 * `NUMBER_MARK`, so a test can check that no literal ever reaches the SQL text.
 */

export const LITERAL_MARK = 'ZqXm';
export const NUMBER_MARK = '98765';

export const IDENTIFIERS = [
  'id',
  'title',
  'views',
  'published',
  'status',
  'labels',
  'author',
  'tags',
  'meta',
  'location',
  'secret',
  'created',
  'author.name',
  'author.email',
  'author.team.name',
  'author.roles',
  'author.password',
  'tags.name',
  'tags.color',
  'tags.id',
  'meta.a.b.0',
  'meta.n',
  'location.lon',
  'comments_via_post.text',
  'comments_via_post.author.name',
  'comments_via_post.author.team.name',
  'labels:each',
  'labels:length',
  'tags:length',
  'tags:each',
  'title:lower',
  'status:each',
  '@request.auth.id',
  '@request.auth.email',
  '@request.auth.team',
  '@request.auth.team.name',
  '@request.auth.roles',
  '@request.auth.roles:each',
  '@request.auth.collectionName',
  '@request.body.title',
  '@request.body.title:changed',
  '@request.body.views:isset',
  '@request.body.tags',
  '@request.body.tags.name',
  '@request.body.tags:length',
  '@request.body.labels:each',
  '@request.body.x',
  '@request.query.q',
  '@request.query.q:lower',
  '@request.headers.x_token',
  '@request.method',
  '@request.context',
  '@collection.memberships.user',
  '@collection.memberships.team.name',
  '@collection.tags:t.name',
  '@collection.tags:u.color',
  '@collection.posts.author.name',
  '@now',
  '@todayStart',
  '@yearEnd',
  '@year',
  '@weekday',
  'true',
  'false',
  'null',
  // hostile or unknown identifiers
  'nope',
  '@nope',
  '@request',
  '@request.auth',
  '@collection.nope.x',
  '@collection.sqlite_master.sql',
  'sqlite_master',
  'select',
  'DROP',
  'rowid',
  '_rowid_',
  'title:nope',
  'id:each',
  'meta.a:length',
  'tags.name:changed',
  'posts_via_author.id',
  'comments_via_nope.id',
  '#x',
];

export const OPERATORS = [
  '=',
  '!=',
  '>',
  '>=',
  '<',
  '<=',
  '~',
  '!~',
  '?=',
  '?!=',
  '?>',
  '?>=',
  '?<',
  '?<=',
  '?~',
  '?!~',
];

/** Pieces of SQL and syntax that attackers and typos produce. */
export const HOSTILE = [
  "'; DROP TABLE posts; --",
  '" OR 1=1 --',
  "') OR ('1'='1",
  '/*',
  '*/',
  '--',
  ';',
  '`',
  '\\',
  '\\u0027',
  '\u0000',
  '%',
  '_',
  'UNION SELECT',
  'id) OR (1=1',
  '\n// comment\n',
  '!',
  '==',
  '&',
  '|',
  '??=',
  '.',
  ':',
  '@',
  '1e5',
  '0x10',
  '-',
  '+',
];

function quote(value: string): fc.Arbitrary<string> {
  return fc.constantFrom("'", '"').map((q) => q + value.split(q).join('\\' + q) + q);
}

/** Any string, with NUL bytes, lone surrogates and astral characters. */
export const anyString = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 12 }),
  fc.string({ unit: 'grapheme', maxLength: 12 }),
  fc.string({ maxLength: 12 }),
);

export const markedText = anyString.chain((s) => quote(LITERAL_MARK + s.replace(/\\+$/, '')));
export const markedNumber = fc
  .tuple(fc.boolean(), fc.integer({ min: 0, max: 9999 }), fc.boolean())
  .map(([neg, n, frac]) => `${neg ? '-' : ''}${NUMBER_MARK}${n}${frac ? '.25' : ''}`);

const identifier = fc.constantFrom(...IDENTIFIERS);
const operand: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: identifier },
  { weight: 2, arbitrary: markedText },
  { weight: 1, arbitrary: markedNumber },
  {
    weight: 1,
    arbitrary: fc
      .tuple(identifier, identifier, markedNumber, markedNumber)
      .map(([a, b, c, d]) => `geoDistance(${a}, ${b}, ${c}, ${d})`),
  },
  {
    weight: 1,
    arbitrary: fc.tuple(identifier, markedText).map(([time, mod]) => `strftime('%Y-%m', ${time}, ${mod})`),
  },
);

const comparison = fc.tuple(operand, fc.constantFrom(...OPERATORS), operand).map((parts) => parts.join(' '));

/** Well-formed expressions (valid syntax; identifiers and types may still be refused with a 400/403). */
export const randomExpression: fc.Arbitrary<string> = fc.letrec<{ expr: string }>((tie) => ({
  expr: fc.oneof(
    { maxDepth: 3, depthIdentifier: 'expr' },
    comparison,
    fc
      .tuple(tie('expr'), fc.constantFrom(' && ', ' || ', '&&', '||'), tie('expr'))
      .map(([a, join, b]) => `(${a})${join}${b}`),
  ),
})).expr;

/** Token soups: any sequence of identifiers, operators, literals, parens, hostile pieces and random strings. */
export const tokenSoup = fc
  .array(
    fc.oneof(
      identifier,
      fc.constantFrom(...OPERATORS, '&&', '||', '(', ')', ',', 'geoDistance(', 'strftime(', 'lower('),
      markedText,
      markedNumber,
      fc.constantFrom(...HOSTILE),
      anyString,
    ),
    { maxLength: 14 },
  )
  .chain((tokens) =>
    fc
      .array(fc.constantFrom(' ', '', '\n', '\t', '  '), { minLength: tokens.length, maxLength: tokens.length })
      .map((spaces) => tokens.map((t, i) => t + spaces[i]).join('')),
  );

/** Valid expressions to mutate. */
export const SEEDS = [
  "title = 'Hello World'",
  'views > 5 && published = true',
  "(status = 'draft' || status = 'archived') && views >= 0",
  "tags.name ?= 'news'",
  "comments_via_post.text ?~ 'great' && author.team.name = 'red'",
  "labels:each ?= 'a' && labels:length > 1",
  'author = @request.auth.id',
  "@request.auth.roles:each ?= 'admin' || @request.auth.team.name = 'red'",
  '@collection.memberships.user ?= @request.auth.id && @collection.memberships.team ?= author.team',
  'meta.a.b.0 = 1 && location.lat > 40 && geoDistance(location.lon, location.lat, 23.32, 42.69) < 25',
  "strftime('%Y', created) = '2024' && created >= @yearStart",
  '@request.body.title:changed = false && @request.body.views:isset = true',
  "title:lower ~ 'hello' // a comment\n&& views != 0",
  "@request.query.q != '' && title ~ @request.query.q",
];

const MUTATION_PIECES = [
  ...HOSTILE,
  ...OPERATORS,
  ...IDENTIFIERS.slice(0, 40),
  '(',
  ')',
  "'",
  '"',
  '&&',
  '||',
  ',',
  ' ',
  '0',
  '\u0000',
  'é',
  '😀',
];

/** A valid expression with 1–4 random edits (insert, delete, duplicate, replace, truncate). */
export const mutatedExpression = fc
  .tuple(
    fc.constantFrom(...SEEDS),
    fc.array(
      fc.tuple(
        fc.nat(),
        fc.nat({ max: 12 }),
        fc.oneof({ weight: 5, arbitrary: fc.constantFrom(...MUTATION_PIECES) }, { weight: 1, arbitrary: anyString }),
        fc.nat({ max: 4 }),
      ),
      { minLength: 1, maxLength: 4 },
    ),
  )
  .map(([seed, edits]) =>
    edits.reduce((text, [a, b, piece, kind]) => {
      const i = a % (text.length + 1);
      const j = i + (b % (text.length - i + 1));
      switch (kind) {
        case 0:
          return text.slice(0, i) + piece + text.slice(i);
        case 1:
          return text.slice(0, i) + text.slice(j);
        case 2:
          return text.slice(0, j) + text.slice(i, j) + text.slice(j);
        case 3:
          return text.slice(0, i) + piece + text.slice(j);
        default:
          return text.slice(0, j);
      }
    }, seed),
  );
