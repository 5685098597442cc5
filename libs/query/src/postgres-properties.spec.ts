// The query library's property tests on a PostgreSQL this file starts: the model vs the SQL (random ASTs over
// random rows), the LIKE model vs nb_like, and random/mutated expressions — only 400/403, never an SQL error,
// and the same rows as SQLite for the same expression, request and data.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ApiError } from '@lib/core';
import { PostgresServer } from '@lib/testing';
import fc from 'fast-check';
import type { CompileOptions, RequestInfo } from './query.types';
import { postgresDialect } from './postgres-dialect';
import { toPostgresPlaceholders } from './postgres-support';
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
import { allCollections, authOf, posts, request, runner, schema } from './testing/fixture';
import { mutatedExpression, randomExpression } from './testing/fuzz-arbitraries';
import { type PostgresRunner, postgresRunner } from './testing/postgres-fixture';
import { POSTGRES_ONLY_REFUSALS } from './testing/postgres-differences';

let server: PostgresServer | undefined;
let pg: PostgresRunner;
const sqlite = runner();

before(async () => {
  server = await PostgresServer.start();
  pg = await postgresRunner(server.url);
  await pg.pool.query(
    'CREATE SCHEMA model; CREATE TABLE model.posts (id TEXT PRIMARY KEY, title TEXT, status TEXT, views DOUBLE PRECISION, published BOOLEAN)',
  );
});
after(async () => {
  await pg?.pool.end();
  await server?.stop();
});

void describe('PostgreSQL: compiled SQL agrees with the in-memory model', () => {
  const compiler = new QueryCompiler(postgresDialect);
  const rows = fc
    .integer({ min: 0, max: 8 })
    .chain((n) => fc.tuple(...Array.from({ length: n }, (_, i) => modelRow(`r${i}`))))
    .map((list): ModelRow[] => list);

  void it('random ASTs select the same rows of random data', async () => {
    await fc.assert(
      fc.asyncProperty(filterAst, rows, async (ast, data) => {
        const client = await pg.pool.connect();
        try {
          await client.query('BEGIN');
          for (const r of data) {
            const published = r['published'] === null ? null : r['published'] === 1;
            await client.query('INSERT INTO model.posts VALUES ($1, $2, $3, $4, $5)', [
              r['id'],
              r['title'],
              r['status'],
              r['views'],
              published,
            ]);
          }
          const expr = printFilter(ast);
          const opts: CompileOptions = { collection: posts, schema, mode: 'rule', isSuperuser: false, alias: 'r' };
          const compiled = compiler.compile(expr, opts);
          const sql = `SELECT "r"."id" AS id FROM model.posts "r" WHERE ${compiled.sql} ORDER BY "r"."id" COLLATE "C"`;
          const result = await client.query<{ id: string }>(toPostgresPlaceholders(sql), compiled.bind(request()));
          const expected = data
            .filter((r) => evaluateFilter(ast, r))
            .map((r) => String(r['id']))
            .sort();
          assert.deepEqual(
            result.rows.map((r) => r.id),
            expected,
            expr,
          );
        } finally {
          await client.query('ROLLBACK');
          client.release();
        }
      }),
      { numRuns: 400, seed: 20240503 },
    );
  });

  void it('nb_like agrees with the LIKE model on random texts and patterns', async () => {
    await fc.assert(
      fc.asyncProperty(smallText, smallText, async (value, pattern) => {
        const row = await pg.pool.query<{ m: boolean | null }>('SELECT nb_like($1, $2) AS m', [value, pattern]);
        assert.equal(row.rows[0].m === true, sqliteLike(value, pattern), `${value} LIKE ${pattern}`);
      }),
      { numRuns: 400, seed: 20240503 },
    );
  });
});

type Outcome = { ids: string[] } | { status: number; message: string };

async function outcome(fn: () => Promise<string[]> | string[]): Promise<Outcome> {
  try {
    return { ids: await fn() };
  } catch (err) {
    if (err instanceof ApiError) {
      return { status: err.status, message: err.message };
    }
    throw err;
  }
}

void describe('PostgreSQL: random expressions give what SQLite gives', () => {
  const modes = fc.constantFrom<Partial<CompileOptions>>(
    { mode: 'rule', isSuperuser: false },
    { mode: 'filter', isSuperuser: false },
    { mode: 'filter', isSuperuser: true },
  );
  const collections = fc.constantFrom(posts, posts, posts, ...allCollections);
  const value = fc.oneof(
    fc.jsonValue({ maxDepth: 2 }),
    fc.string({ maxLength: 6 }),
    fc.constantFrom('g1', 'p1', 'u1', ''),
  );
  const requests: fc.Arbitrary<RequestInfo> = fc
    .record({
      auth: fc.oneof(
        fc.constant(null),
        fc.constantFrom('u1', 'u2', 'u3').map((id) => authOf(sqlite.db, id)),
      ),
      body: fc.dictionary(fc.constantFrom('title', 'views', 'tags', 'labels', 'x', 'author'), value),
      q: fc.string({ maxLength: 6 }),
    })
    .map(({ auth, body, q }) => request({ auth, body, query: { q }, headers: { 'X-Token': q } }));

  const same = async (expr: string, opts: Partial<CompileOptions>, req: RequestInfo): Promise<boolean> => {
    const a = await outcome(() => sqlite.ids(expr, opts, req));
    pg.compiler.clear();
    const b = await outcome(() => pg.ids(expr, opts, req));
    if ('status' in b && POSTGRES_ONLY_REFUSALS.some((r) => r.test(b.message))) {
      return false; // refused on PostgreSQL by design (whatever SQLite did)
    }
    if ('status' in a) {
      assert.ok('status' in b, `${expr}: SQLite ${a.status} (${a.message}), PostgreSQL rows`);
      assert.equal(b.status, a.status, expr);
      return false;
    }
    if ('status' in b) {
      assert.ok(
        POSTGRES_ONLY_REFUSALS.some((r) => r.test(b.message)),
        `${expr}: PostgreSQL ${b.message}`,
      );
      return false;
    }
    assert.deepEqual(b.ids, a.ids, `${expr} ${JSON.stringify(req)}`);
    return true;
  };

  void it('well-formed random expressions', async () => {
    let compared = 0;
    await fc.assert(
      fc.asyncProperty(randomExpression, modes, collections, requests, async (expr, opts, collection, req) => {
        compared += (await same(expr, { ...opts, collection }, req)) ? 1 : 0;
      }),
      { numRuns: 500, seed: 424242 },
    );
    assert.ok(compared > 50, `only ${compared} random expressions ran on both`);
  });

  void it('mutated valid expressions', async () => {
    await fc.assert(
      fc.asyncProperty(mutatedExpression, modes, requests, async (expr, opts, req) => {
        await same(expr, opts, req);
      }),
      { numRuns: 300, seed: 424242 },
    );
  });
});
