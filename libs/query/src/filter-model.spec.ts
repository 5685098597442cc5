import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import fc from 'fast-check';
import type { FilterNode } from './ast';
import { parseFilter } from './parser';
import { QueryCompiler } from './query-compiler';
import {
  evaluateFilter,
  filterAst,
  modelRow,
  type ModelRow,
  printFilter,
  smallText,
  sqliteLike,
} from './testing/filter-model';
import { posts, request, schema } from './testing/fixture';

/** Property: compiled SQL selects exactly the rows an in-memory evaluator of the same AST selects. */

const RUNS = { numRuns: 400, seed: 20240503 };

/** The AST without positions (they depend on the printed text). */
function shape(node: FilterNode): unknown {
  return JSON.parse(JSON.stringify(node, (key, value: unknown) => (key === 'position' ? undefined : value)));
}

const db = new Database(':memory:');
db.function('nb_tick', () => 1);
db.exec(
  'CREATE TABLE "posts" ("id" TEXT PRIMARY KEY, "title" TEXT, "status" TEXT, "views" NUMERIC, "published" INTEGER)',
);
const insert = db.prepare('INSERT INTO "posts" ("id", "title", "status", "views", "published") VALUES (?, ?, ?, ?, ?)');
const compiler = new QueryCompiler();

function load(rows: ModelRow[]): void {
  db.transaction(() => {
    db.exec('DELETE FROM "posts"');
    for (const r of rows) {
      insert.run(r['id'], r['title'], r['status'], r['views'], r['published']);
    }
  })();
}

function selectedBySql(expr: string): string[] {
  const compiled = compiler.compile(expr, { collection: posts, schema, mode: 'rule', isSuperuser: false, alias: 'r' });
  const sql = `SELECT "r"."id" AS id FROM "posts" "r" WHERE ${compiled.sql} ORDER BY "r"."id"`;
  return (db.prepare(sql).all(...(compiled.bind(request()) as never[])) as { id: string }[]).map((r) => r.id);
}

const rows = fc
  .integer({ min: 0, max: 8 })
  .chain((n) => fc.tuple(...Array.from({ length: n }, (_, i) => modelRow(`r${i}`))))
  .map((list): ModelRow[] => list);

void describe('compiled SQL agrees with an in-memory evaluator', () => {
  void it('printed ASTs parse back to the same tree', () => {
    fc.assert(
      fc.property(filterAst, (ast) => {
        assert.deepEqual(shape(parseFilter(printFilter(ast))), shape(ast));
      }),
      RUNS,
    );
  });

  void it('random ASTs select the same rows of random data', () => {
    fc.assert(
      fc.property(filterAst, rows, (ast, data) => {
        load(data);
        const expr = printFilter(ast);
        const expected = data
          .filter((r) => evaluateFilter(ast, r))
          .map((r) => String(r['id']))
          .sort();
        assert.deepEqual(selectedBySql(expr), expected, expr);
      }),
      RUNS,
    );
  });

  void it('the model LIKE agrees with SQLite on random texts and patterns', () => {
    const stmt = db.prepare(`SELECT ? LIKE ? ESCAPE '\\' AS m`);
    fc.assert(
      fc.property(smallText, smallText, (value, pattern) => {
        const row = stmt.get(value, pattern) as { m: number | null };
        assert.equal(sqliteLike(value, pattern), row.m === 1, `${value} LIKE ${pattern}`);
      }),
      RUNS,
    );
  });

  void it('handles the edge cases it was written for', () => {
    load([
      { id: 'r0', title: null, status: '', views: null, published: null },
      { id: 'r1', title: 'A_b', status: 'draft', views: 0, published: 0 },
      { id: 'r2', title: '%', status: null, views: 2.5, published: 1 },
    ]);
    const cases: [string, string[]][] = [
      ["title = ''", ['r0']],
      ['title != null', ['r1', 'r2']],
      ['title = status', ['r0']],
      ['views != 0', ['r0', 'r2']],
      ["views < ''", ['r1', 'r2']],
      ["title ~ 'a_'", ['r1']],
      ["title ~ 'a\\_%'", ['r1']],
      ["'xA_by' ~ title", ['r1', 'r2']],
      ['5 ~ 5', ['r0', 'r1', 'r2']],
      ['published ?>= true', ['r2']],
    ];
    for (const [expr, ids] of cases) {
      assert.deepEqual(selectedBySql(expr), ids, expr);
      const ast = parseFilter(expr);
      const model = ['r0', 'r1', 'r2'].filter((id) =>
        evaluateFilter(ast, db.prepare('SELECT * FROM "posts" WHERE id = ?').get(id) as ModelRow),
      );
      assert.deepEqual(model, ids, `model: ${expr}`);
    }
  });
});
