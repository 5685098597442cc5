import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ApiError } from '@lib/core';
import { FILTER_LIMITS } from './parser';
import { posts, request, runner, schema } from './testing/fixture';
import { MAX_BACK_RELATIONS } from './resolve-context';

const run = runner();

function refusal(fn: () => unknown): ApiError {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof ApiError, `not an ApiError: ${String(err)}`);
    return err;
  }
  assert.fail('expected a refusal');
}

/** `n` independent `@collection` joins, all tested by one shared EXISTS. */
const aliases = (n: number): string =>
  Array.from({ length: n }, (_, i) => `@collection.tags:t${i}.name ?= 'news'`).join(' && ');

void describe('the number of joins per expression', () => {
  const max = FILTER_LIMITS.maxJoins;

  void it(`allows ${max} joined tables and runs them`, () => {
    assert.deepEqual(run.ids(aliases(max)), ['p1', 'p2', 'p3', 'p4', 'p5']);
  });

  void it(`refuses ${max + 1} with a 400 (not SQLite's "at most 64 tables in a join")`, () => {
    const err = refusal(() => run.ids(aliases(max + 1)));
    assert.equal(err.status, 400);
    assert.match(err.message, new RegExp(`more than ${max} joined tables`));
    assert.equal(refusal(() => run.ids(aliases(70))).status, 400);
  });

  void it('counts the joins of plain comparisons over multi-valued paths too', () => {
    const each = Array.from({ length: 26 }, () => "tags.name != 'x'").join(' && '); // 2 joins each
    assert.equal(refusal(() => run.ids(each)).status, 400);
    assert.deepEqual(run.ids(Array.from({ length: 25 }, () => "tags.name != 'zzz'").join(' && ')).length, 5);
  });

  void it('counts the listRule joins of joined collections in client filters', () => {
    // A non-superuser's filter on comments joins posts (1) filtered by this listRule (3 more joins).
    const strict = { ...posts, listRule: 'comments_via_post.author.team.name ?= "red"' };
    const lookup = {
      findCollection: (n: string) => (n === posts.id || n === 'posts' ? strict : schema.findCollection(n)),
      allCollections: () => schema.allCollections().map((c) => (c.id === posts.id ? strict : c)),
    };
    const opts = { mode: 'filter' as const, schema: lookup, collection: schema.findCollection('comments') };
    const filter = (n: number): string => Array.from({ length: n }, () => "post.title != ''").join(' && ');
    assert.equal(refusal(() => run.ids(filter(13), opts)).status, 400);
    assert.deepEqual(run.ids(filter(12), opts), ['c3', 'c4']); // p1 is hidden by the rule
  });

  void it('leaves room for 8 sort terms with relation paths', () => {
    const opts = { collection: posts, schema, mode: 'filter' as const, isSuperuser: true, alias: 'r' };
    const sort = Array(8).fill('-comments_via_post.author.team.name').join(',');
    const compiled = run.compiler.compileSort(sort, opts);
    const rows = run.db.prepare(`SELECT id FROM "posts" "r" ORDER BY ${compiled.sql}`).all();
    assert.equal(rows.length, 5);
  });
});

void describe("LIKE patterns over SQLite's length limit", () => {
  const long = 'x'.repeat(60_000);

  void it('a huge request value matches nothing instead of an SQL error', () => {
    const req = request({ body: { q: long } });
    assert.deepEqual(run.ids('title ~ @request.body.q', {}, req), []);
    assert.deepEqual(run.ids('title !~ @request.body.q', {}, req), []);
    assert.deepEqual(run.ids('title ~ @request.body.q', {}, request({ body: { q: 'hello' } })), ['p1', 'p5']);
  });

  void it('a huge column on the right matches nothing instead of an SQL error', () => {
    run.db.prepare(`INSERT INTO "posts" ("id", "title") VALUES ('p9', ?)`).run(long);
    try {
      assert.deepEqual(run.ids("'abc' ~ title && id = 'p9'"), []);
      assert.deepEqual(run.ids("title ~ 'xxx' && id = 'p9'"), ['p9']);
    } finally {
      run.db.prepare(`DELETE FROM "posts" WHERE "id" = 'p9'`).run();
    }
  });
});

void describe('expression size limits', () => {
  void it('refuses long, deep and wide expressions with a 400', () => {
    const tooLong = `title = '${'a'.repeat(FILTER_LIMITS.maxLength)}'`;
    const tooDeep = '('.repeat(FILTER_LIMITS.maxDepth + 1) + 'id = 1' + ')'.repeat(FILTER_LIMITS.maxDepth + 1);
    const tooWide = Array(FILTER_LIMITS.maxComparisons + 1)
      .fill('id=1')
      .join('||');
    const tooManyHops = 'author.posts_via_author.author.posts_via_author.author.posts_via_author.author.name = 1';
    for (const expr of [tooLong, tooDeep, tooWide, tooManyHops]) {
      assert.equal(refusal(() => run.ids(expr)).status, 400, expr.slice(0, 40));
    }
    const deepOk = '('.repeat(FILTER_LIMITS.maxDepth) + "id = 'p1'" + ')'.repeat(FILTER_LIMITS.maxDepth);
    assert.deepEqual(run.ids(deepOk), ['p1']);
  });
});

void describe('back-relations per path', () => {
  void it(`allows ${MAX_BACK_RELATIONS} back-relations in one path and refuses one more (400)`, () => {
    assert.deepEqual(
      run.ids("comments_via_post.post.comments_via_post.id != ''"),
      run.ids("comments_via_post.id != ''"),
    );
    const err = refusal(() => run.ids("comments_via_post.post.comments_via_post.post.comments_via_post.id != ''"));
    assert.equal(err.status, 400);
    assert.match(err.message, /back-relations/);
  });

  void it('compiles an interrupt check into every join of a relation path', () => {
    const compiled = run.compiler.compile("comments_via_post.author.name ?= 'x'", {
      collection: posts,
      schema,
      mode: 'filter',
      isSuperuser: true,
      alias: 'r',
    });
    assert.equal(compiled.sql.match(/nb_tick\(\)/g)?.length, compiled.sql.match(/LEFT JOIN/g)?.length);
  });
});
