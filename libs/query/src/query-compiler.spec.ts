import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { CollectionModel } from '@lib/schema';
import { parseFilter } from './parser';
import { QueryCompiler } from './query-compiler';
import type { CompileOptions, SchemaLookup } from './query.types';
import { allCollections, authOf, posts, request, runner, schema } from './testing/fixture';

const opts: CompileOptions = { collection: posts, schema, mode: 'rule', isSuperuser: false, alias: 'r' };

void describe('parseFilter', () => {
  void it('gives AND precedence over OR', () => {
    const ast = parseFilter("a = 1 || b = 'x' && c != null");
    assert.equal(ast.type, 'or');
    assert.ok(ast.type === 'or');
    assert.equal(ast.children[0].type, 'comparison');
    assert.equal(ast.children[1].type, 'and');
  });
  void it('reads literals, operators, functions and positions', () => {
    const ast = parseFilter("geoDistance(a.lon, a.lat, -1.5, 2) ?<= 'x\\'y' // c");
    assert.deepEqual(ast, {
      type: 'comparison',
      operator: '?<=',
      position: 0,
      left: {
        type: 'function',
        name: 'geoDistance',
        position: 0,
        args: [
          { type: 'identifier', name: 'a.lon', position: 12 },
          { type: 'identifier', name: 'a.lat', position: 19 },
          { type: 'number', value: -1.5, position: 26 },
          { type: 'number', value: 2, position: 32 },
        ],
      },
      right: { type: 'text', value: "x'y", position: 39 },
    });
  });
  void it('reads true/false/null as literals and every operator', () => {
    for (const op of ['=', '!=', '>', '>=', '<', '<=', '~', '!~', '?=', '?!=', '?>', '?>=', '?<', '?<=', '?~', '?!~']) {
      const ast = parseFilter(`true ${op} null`);
      assert.ok(ast.type === 'comparison');
      assert.equal(ast.operator, op);
      assert.deepEqual(ast.left, { type: 'bool', value: true, position: 0 });
      assert.equal(ast.right.type, 'null');
    }
  });
  void it('reports the position of a syntax error', () => {
    assert.throws(
      () => parseFilter("title = 'a' && views"),
      /Invalid filter: expected an operator but found the end of the expression at position 20\./,
    );
    assert.throws(() => parseFilter('title = 1 ^ 2'), /at position 10/);
  });
});

void describe('QueryCompiler', () => {
  void it('caches by expression and options, and clear() empties the cache', () => {
    const compiler = new QueryCompiler();
    const a = compiler.compile('views > 1', opts);
    assert.equal(compiler.compile('views > 1', opts), a);
    assert.notEqual(compiler.compile('views > 1', { ...opts, alias: 'x' }), a);
    assert.notEqual(compiler.compile('views > 1', { ...opts, mode: 'filter' }), a);
    assert.notEqual(compiler.compile('views > 1', { ...opts, collection: { ...posts, updated: 'later' } }), a);
    compiler.clear();
    assert.notEqual(compiler.compile('views > 1', opts), a);
  });
  void it('does not cache failures', () => {
    const compiler = new QueryCompiler();
    assert.throws(() => compiler.compile('nope = 1', opts));
    assert.throws(() => compiler.compile('nope = 1', opts));
  });
  void it('works inside COUNT(*) without changing row counts', () => {
    const run = runner();
    const compiled = run.compiler.compile("tags.name ?~ 'e' || comments_via_post.text ?= 'great'", opts);
    const row = run.db
      .prepare(`SELECT COUNT(*) AS n FROM "posts" "r" WHERE ${compiled.sql}`)
      .get(...(compiled.bind(request()) as never[]));
    assert.deepEqual(row, { n: 3 });
  });
  void it("applies a joined collection's listRule with the request of the filter", () => {
    const run = runner();
    const changed = allCollections.map((c): CollectionModel =>
      c.name === 'tags' ? { ...c, listRule: "@request.auth.id != ''" } : c,
    );
    const ruled: SchemaLookup = {
      findCollection: (n) => changed.find((c) => c.id === n || c.name === n),
      allCollections: () => changed,
    };
    const filter = { schema: ruled, mode: 'filter' as const };
    assert.deepEqual(run.ids("tags.name ?= 'fun'", filter), []);
    assert.deepEqual(run.ids("tags.name ?= 'fun'", filter, request({ auth: authOf(run.db, 'u1') })), ['p4', 'p5']);
  });
  void it('sort and filter of the same collection bind independently', () => {
    const compiler = new QueryCompiler();
    const sort = compiler.compileSort('-views,title', opts);
    assert.equal(sort.sql, '"r"."views" DESC, "r"."title" ASC');
    assert.deepEqual(sort.bind(request()), []);
  });
});
