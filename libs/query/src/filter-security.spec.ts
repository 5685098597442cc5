import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ApiError } from '@lib/core';
import type { CollectionModel } from '@lib/schema';
import { ALL_POSTS, allCollections, authOf, posts, request, runner, schema, tags, users } from './testing/fixture';
import type { CompileOptions, SchemaLookup } from './query.types';

const run = runner();
const filter: Partial<CompileOptions> = { mode: 'filter', isSuperuser: false };
const superFilter: Partial<CompileOptions> = { mode: 'filter', isSuperuser: true };

function status(fn: () => unknown): number {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof ApiError, `expected an ApiError, got ${String(err)}`);
    return err.status;
  }
  return 200;
}

function withSchema(changes: Record<string, Partial<CollectionModel>>): SchemaLookup {
  const changed = allCollections.map((c) => ({ ...c, ...(changes[c.name] ?? {}) }));
  return {
    findCollection: (n) => changed.find((c) => c.id === n || c.name === n),
    allCollections: () => changed,
  };
}

const badSyntax = [
  '',
  '   ',
  '// only a comment',
  'title',
  'title =',
  '= 1',
  "title = 'a' &&",
  "&& title = 'a'",
  "(title = 'a'",
  "title = 'a')",
  '()',
  'title == 1',
  "title = 'a' & views = 1",
  "title = 'a' | views = 1",
  "title = 'abc",
  'title = "abc',
  "title = 'abc\\'",
  'title. = 1',
  'title: = 1',
  'ti..tle = 1',
  "title = 'a' views = 1",
  'views = 1.',
  'views = 1a',
  'views = --1',
  'views = 1e5',
  'title ! 1',
  'title ?? 1',
  'strftime( = 1',
  'strftime() = 1',
  'strftime(,) = 1',
  "strftime('%Y' created) = 1",
  'title = 1;',
  "title = 'x' -- comment",
  "title = 'x' || 1=1 --'",
  'title = $1',
  'title = `x`',
  "title = 'a' /* c */",
];

const badFields = [
  'nope = 1',
  'author.nope = 1',
  'title.name = 1',
  'views.x = 1',
  'labels.x = 1',
  'location.alt = 1',
  'meta.a-b = 1',
  'tags_via_post.id = 1',
  'comments_via_author.id = 1',
  'nope_via_post.id = 1',
  'comments_via_post = 1',
  '@nope = 1',
  '@request.nope = 1',
  '@request.auth = 1',
  '@request.query = 1',
  '@request.method.x = 1',
  '@request.query.q.x = 1',
  '@request.auth.name.x = 1',
  '@collection.nope.id = 1',
  '@collection.tags = 1',
  '@collection.tags:a:b.id = 1',
  'title:nope = 1',
  'title:each = 1',
  'title:length = 1',
  'author:length = 1',
  '@request.query.q:changed = 1',
  '@request.body.nope:changed = 1',
  '@request.method:isset = 1',
  'unknownFn(1) = 1',
  'geoDistance(1, 2, 3) < 1',
  "geoDistance(1, 2, 3, 'x') < 1",
  'strftime(created) = 1',
  "strftime('%Y', created, 5) = 1",
  'author.team.name.x = 1',
  '"title" = title.x',
  'title = "x" && id:lower.x = 1',
];

void describe('filter: syntax errors are 400', () => {
  for (const expr of badSyntax) {
    void it(JSON.stringify(expr), () =>
      assert.equal(
        status(() => run.ids(expr)),
        400,
      ),
    );
  }
});

void describe('filter: unresolvable identifiers are 400', () => {
  for (const expr of badFields) {
    void it(expr, () =>
      assert.equal(
        status(() => run.ids(expr)),
        400,
      ),
    );
  }
});

void describe('filter: limits', () => {
  void it('accepts 200 comparisons and rejects 201', () => {
    const make = (n: number): string => Array.from({ length: n }, () => 'views>1').join('||');
    assert.deepEqual(run.ids(make(200)), ['p1', 'p3', 'p5']);
    assert.equal(
      status(() => run.ids(make(201))),
      400,
    );
  });
  void it('accepts 30 nested groups and rejects 31', () => {
    const make = (n: number): string => '('.repeat(n) + 'views>1' + ')'.repeat(n);
    assert.deepEqual(run.ids(make(30)), ['p1', 'p3', 'p5']);
    assert.equal(
      status(() => run.ids(make(31))),
      400,
    );
  });
  void it('rejects expressions longer than 3500 characters', () => {
    assert.equal(
      status(() => run.ids(`title = '${'x'.repeat(3500)}'`)),
      400,
    );
  });
  void it('rejects functions nested more than 2 levels', () => {
    assert.equal(
      status(() => run.ids("strftime('%Y', strftime('%Y', strftime('%Y', created))) = 1")),
      400,
    );
    assert.deepEqual(run.ids("strftime('%Y', strftime('%Y-%m-%d', created)) = '2025'"), ['p4']);
  });
  void it('rejects more than 6 relation levels', () => {
    assert.equal(
      status(() => run.ids("author.team.name = 'x'")),
      200,
    );
    const deep = 'comments_via_post.post.comments_via_post.post.comments_via_post.post.comments_via_post.id = 1';
    assert.equal(
      status(() => run.ids(deep)),
      400,
    );
  });
});

void describe('filter mode: hidden fields, @request/@collection, joined listRules', () => {
  void it('hidden fields are 400 for non-superuser filters, allowed in rules and for superusers', () => {
    assert.equal(
      status(() => run.ids("secret = 's1'", filter)),
      400,
    );
    assert.equal(
      status(() => run.ids("author.password = 'h1'", filter)),
      400,
    );
    assert.deepEqual(run.ids("secret = 's1'"), ['p1']);
    assert.deepEqual(run.ids("secret = 's1'", superFilter), ['p1']);
    assert.deepEqual(run.ids("author.password = 'h1'", superFilter), ['p1', 'p5']);
  });
  void it('@request and @collection are 403 for non-superuser filters', () => {
    const u1 = request({ auth: authOf(run.db, 'u1') });
    assert.equal(
      status(() => run.ids('@request.auth.id = author', filter, u1)),
      403,
    );
    assert.equal(
      status(() => run.ids("@collection.tags.name ?= 'x'", filter)),
      403,
    );
    assert.deepEqual(run.ids('@request.auth.id = author', superFilter, u1), ['p1', 'p5']);
    assert.deepEqual(run.ids("@collection.tags.name ?= 'fun'", superFilter), ALL_POSTS);
    assert.throws(() => run.ids('@request.auth.id = author', filter, u1), /Only superusers can filter by @request\./);
    assert.throws(() => run.ids("@collection.tags.id ?= ''", filter), /Only superusers can filter by @collection\./);
  });
  void it('macros stay allowed in non-superuser filters', () => {
    assert.deepEqual(run.ids('created < @now', filter), ALL_POSTS);
  });
  void it('a joined collection with a locked listRule makes a non-superuser filter fail', () => {
    const locked = withSchema({ tags: { listRule: null } });
    assert.equal(
      status(() => run.ids("tags.name ?= 'fun'", { ...filter, schema: locked })),
      400,
    );
    assert.deepEqual(run.ids("tags.name ?= 'fun'", { schema: locked }), ['p4', 'p5']);
    assert.deepEqual(run.ids("tags.name ?= 'fun'", { ...superFilter, schema: locked }), ['p4', 'p5']);
    assert.deepEqual(run.ids("tags ?= 'g3'", { ...filter, schema: locked }), ['p4', 'p5']);
  });
  void it('joined rows of a non-superuser filter are restricted by their listRule', () => {
    const ruled = withSchema({ tags: { listRule: "color != ''" } });
    assert.deepEqual(run.ids("tags.name ?= 'fun'", { ...filter, schema: ruled }), []);
    assert.deepEqual(run.ids("tags.name ?= 'news'", { ...filter, schema: ruled }), ['p1', 'p4']);
    assert.deepEqual(run.ids("tags.name ?= 'fun'", { schema: ruled }), ['p4', 'p5']);
    const ownComments = withSchema({ comments: { listRule: "text = 'great'" } });
    assert.deepEqual(run.ids("comments_via_post.text ?= 'meh'", { ...filter, schema: ownComments }), []);
  });
  void it('non-superuser filters only see emails with emailVisibility', () => {
    const byEmail = (expr: string, opts: Partial<CompileOptions>): string[] =>
      run.ids(expr, { ...opts, collection: users });
    assert.deepEqual(byEmail("email = 'bob@x.com'", filter), []);
    assert.deepEqual(byEmail("email = 'alice@x.com'", filter), ['u1']);
    assert.deepEqual(byEmail("email = 'bob@x.com'", superFilter), ['u2']);
    assert.deepEqual(byEmail("email = 'bob@x.com'", {}), ['u2']);
    assert.deepEqual(run.ids("author.email ~ 'bob'", filter), []);
  });
});

void describe('injection attempts never reach the SQL text', () => {
  const hostile = [
    `title = "'; DROP TABLE posts; --"`,
    `title = '"; DROP TABLE posts; --'`,
    `title = '\\'); DELETE FROM posts; --'`,
    `title ~ "%' OR 1=1 --"`,
    `title = "x\\" OR \\"1\\"=\\"1"`,
    `meta.a_b = "x"`,
  ];
  for (const expr of hostile) {
    void it(expr, () => {
      const compiled = run.compiler.compile(expr, {
        collection: posts,
        schema,
        mode: 'filter',
        isSuperuser: false,
        alias: 'r',
      });
      assert.doesNotMatch(compiled.sql, /DROP|DELETE|OR 1=1|a_b/);
      assert.deepEqual(run.ids(expr), []);
      assert.equal((run.db.prepare('SELECT COUNT(*) AS n FROM "posts"').get() as { n: number }).n, 5);
    });
  }
  void it('odd identifiers are rejected before any SQL is built', () => {
    for (const expr of [
      'ti"tle = 1',
      'title"; DROP TABLE posts; -- = 1',
      "@collection.posts'.id = 1",
      'a\u0000 = 1',
      '[title] = 1',
    ]) {
      assert.equal(
        status(() => run.ids(expr)),
        400,
        expr,
      );
    }
  });
  void it('identifiers are quoted, values are placeholders', () => {
    const compiled = run.compiler.compile("title = 'abc' && views > 3", {
      collection: posts,
      schema,
      mode: 'rule',
      isSuperuser: false,
      alias: 'r',
    });
    assert.equal(compiled.sql, `("r"."title" = ? AND "r"."views" > ?)`);
    assert.deepEqual(compiled.bind(request()), ['abc', 3]);
  });
  void it('a collection with a quote in its name is quoted safely', () => {
    const odd: CollectionModel = { ...tags, id: 'odd', name: 'we"ird' };
    const oddSchema: SchemaLookup = {
      findCollection: (n) => (n === 'odd' || n === 'we"ird' ? odd : schema.findCollection(n)),
      allCollections: () => [...allCollections, odd],
    };
    const compiled = run.compiler.compile("@collection.odd.name ?= 'x'", {
      collection: posts,
      schema: oddSchema,
      mode: 'rule',
      isSuperuser: false,
      alias: 'r',
    });
    assert.match(compiled.sql, /"we""ird"/);
  });
});
