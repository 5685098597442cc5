import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import fc from 'fast-check';
import { FIELD_KINDS, type CollectionModel } from '@lib/schema';
import { compileEvaluator } from './evaluator';
import { QueryCompiler } from './query-compiler';
import type { CompileOptions, RequestInfo } from './query.types';
import { sqliteLike } from './evaluator-text';
import { filterAst, modelRow, type ModelRow, printFilter, smallText } from './testing/filter-model';
import { ALL_POSTS, authOf, posts, request, runner, schema, users } from './testing/fixture';

/** The in-memory evaluator must select exactly what the compiled SQL selects, or say it can't decide. */

const RUNS = { numRuns: 400, seed: 20250611 };
const fixture = runner();

function typed(c: CollectionModel, row: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const f of c.fields) {
    out[f.name] = FIELD_KINDS[f.type].fromDb(row[f.name], f);
  }
  return out;
}

const storedPosts = (fixture.db.prepare('SELECT * FROM "posts" ORDER BY id').all() as Record<string, unknown>[]).map(
  (row) => typed(posts, row),
);

function options(extra: Partial<CompileOptions> = {}): CompileOptions {
  return { collection: posts, schema, mode: 'rule', isSuperuser: false, alias: 'r', ...extra };
}

function inMemory(expr: string, req: RequestInfo, extra: Partial<CompileOptions> = {}): (string | undefined)[] {
  const rule = compileEvaluator(expr, options(extra));
  assert.ok(rule, `${expr} should be evaluable in memory`);
  const now = new Date();
  return storedPosts
    .map((p) => [String(p.id), rule.evaluate(p, req, now)] as const)
    .filter(([, v]) => v !== false)
    .map(([id, v]) => (v === undefined ? undefined : id));
}

const u1 = request({ auth: authOf(fixture.db, 'u1') });
const u2 = request({ auth: authOf(fixture.db, 'u2') });
const withQuery = request({ query: { s: 'draft', n: '5' }, headers: { 'x-token': 'AbC' } });

const CASES: [string, RequestInfo, Partial<CompileOptions>?][] = [
  ['author = @request.auth.id', u1],
  ['author = @request.auth.id', request()],
  ['author.id = @request.auth.id', u2],
  ["@request.auth.id != ''", u1],
  ["@request.auth.id != '' && author = @request.auth.id", request()],
  ['@request.auth.verified = true', u1],
  ['@request.auth.verified = true || published = true', u2],
  ["@request.auth.name = 'alice' && status = 'draft'", u1],
  ['status = @request.query.s', withQuery],
  ['status = @request.query.missing', withQuery],
  ['status != @request.query.s', withQuery],
  ["@request.headers.x_token:lower = 'abc'", withQuery],
  ["@request.query.s:isset = true && title ~ 'hello'", withQuery],
  ["@request.method = 'GET' && @request.context != 'realtime'", request()],
  ["title:lower ~ 'hello%'", request()],
  ["title ~ 'World'", request()],
  ["title !~ '_'", request()],
  ['labels:length > 1', request()],
  ['labels:length = 0 || views < 0', request()],
  ['views >= 5 && views <= 10', request()],
  ['views > 5.4', request()],
  ["status = '' || status = null", request()],
  ["title != '' && published = true", request()],
  ['created > @yearStart || created < "2024-02-01"', request()],
  ["status ?= 'draft'", request()],
  ['secret = "s1"', request()],
];

void describe('compileEvaluator (in-memory rules)', () => {
  void it('agrees with the compiled SQL on the fixture', () => {
    for (const [expr, req, extra] of CASES) {
      const expected = fixture.ids(expr, extra, req);
      assert.deepEqual(inMemory(expr, req, extra), expected, `${expr} with ${JSON.stringify(req.auth?.id ?? null)}`);
    }
  });

  void it('masks a hidden email in non-superuser filters as the SQL does', () => {
    const rows = (fixture.db.prepare('SELECT * FROM "users" ORDER BY id').all() as Record<string, unknown>[]).map((r) =>
      typed(users, r),
    );
    const opts = options({ collection: users, mode: 'filter' });
    const rule = compileEvaluator("email ~ '@x.com'", opts);
    assert.ok(rule);
    const ids = rows.filter((r) => rule.evaluate(r, request()) === true).map((r) => String(r.id));
    assert.deepEqual(ids, fixture.ids("email ~ '@x.com'", opts));
    assert.deepEqual(ids, ['u1', 'u3']);
  });

  void it('refuses what needs a join or the database', () => {
    for (const expr of [
      'author.name = "alice"',
      'tags.name ?= "news"',
      'labels ?= "a"',
      'labels:each = "a"',
      'comments_via_post.text ?= "great"',
      '@collection.memberships.user ?= @request.auth.id',
      'meta.n > 1',
      'location.lon > 0',
      'strftime("%Y", created) = "2024"',
      '@request.auth.team.name = "red"',
    ]) {
      assert.equal(compileEvaluator(expr, options()), null, expr);
    }
  });

  void it('answers undefined where SQLite affinity decides (a number against a text)', () => {
    const rule = compileEvaluator('views = @request.query.n', options());
    assert.ok(rule);
    assert.equal(rule.evaluate({ ...storedPosts[0], views: 5 }, withQuery), undefined);
    assert.equal(compileEvaluator("views ~ '1'", options())?.evaluate(storedPosts[0], request()), undefined);
  });

  void it('random ASTs over plain fields decide as the SQL does', () => {
    const db = new Database(':memory:');
    db.function('nb_tick', () => 1);
    db.exec(
      `CREATE TABLE "posts" ("id" TEXT PRIMARY KEY, "title" TEXT NOT NULL DEFAULT '', "status" TEXT NOT NULL DEFAULT '',
       "views" NUMERIC NOT NULL DEFAULT 0, "published" BOOLEAN NOT NULL DEFAULT 0)`,
    );
    const compiler = new QueryCompiler();
    const stored = (r: ModelRow): Record<string, unknown> => ({
      id: r.id,
      title: r.title ?? '',
      status: r.status ?? '',
      views: r.views ?? 0,
      published: r.published ?? 0,
    });
    let decided = 0;
    let total = 0;
    fc.assert(
      fc.property(filterAst, fc.array(modelRow('x'), { minLength: 1, maxLength: 6 }), (ast, rows) => {
        db.exec('DELETE FROM "posts"');
        const data = rows.map((r, i) => stored({ ...r, id: `r${i}` }));
        const insert = db.prepare('INSERT INTO "posts" VALUES (@id, @title, @status, @views, @published)');
        data.forEach((r) => insert.run(r));
        const expr = printFilter(ast);
        const compiled = compiler.compile(expr, options());
        const sql = `SELECT "r"."id" AS id FROM "posts" "r" WHERE ${compiled.sql}`;
        const bySql = new Set(
          (db.prepare(sql).all(...(compiled.bind(request()) as never[])) as { id: string }[]).map((r) => r.id),
        );
        const rule = compileEvaluator(expr, options());
        assert.ok(rule, expr);
        for (const r of data) {
          const value = rule.evaluate(typed(posts, r), request());
          total++;
          if (value !== undefined) {
            decided++;
            assert.equal(value, bySql.has(String(r.id)), `${expr} on ${JSON.stringify(r)}`);
          }
        }
      }),
      RUNS,
    );
    assert.ok(decided / total > 0.5, `only ${decided} of ${total} evaluations were decided in memory`);
  });

  void it('its LIKE agrees with SQLite on random texts and patterns', () => {
    const stmt = fixture.db.prepare(`SELECT ? LIKE ? ESCAPE '\\' AS m`);
    const longer = fc.array(smallText, { maxLength: 4 }).map((parts) => parts.join(''));
    fc.assert(
      fc.property(longer, longer, (value, pattern) => {
        const row = stmt.get(value, pattern) as { m: number | null };
        assert.equal(sqliteLike(value, pattern), row.m === 1, `${value} LIKE ${pattern}`);
      }),
      { ...RUNS, numRuns: 2000 },
    );
  });

  void it('covers every post of the fixture', () => {
    assert.deepEqual(
      storedPosts.map((p) => p.id),
      ALL_POSTS,
    );
  });
});
