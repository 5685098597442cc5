import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ApiError } from '@lib/core';
import fc from 'fast-check';
import { parseExpand } from './expand';
import { applyFields, parseFields } from './fields';
import type { CompileOptions, RequestInfo } from './query.types';
import { QueryCompiler } from './query-compiler';
import { allCollections, authOf, createDatabase, posts, request, schema } from './testing/fixture';
import {
  anyString,
  HOSTILE,
  IDENTIFIERS,
  LITERAL_MARK,
  mutatedExpression,
  NUMBER_MARK,
  randomExpression,
  tokenSoup,
} from './testing/fuzz-arbitraries';

/**
 * Properties over random and mutated input: compile only ever fails with a 400/403 ApiError, the compiled SQL
 * runs on the fixture database without an SQL error for any request, and no literal is ever in the SQL text.
 */

const RUNS = { numRuns: 300, seed: 424242 };
const db = createDatabase();
const compiler = new QueryCompiler();

/** Runs `fn`; an ApiError 400/403 gives undefined, anything else fails the property. */
function refusedOr<T>(fn: () => T): T | undefined {
  try {
    return fn();
  } catch (err) {
    if (err instanceof ApiError && (err.status === 400 || err.status === 403)) {
      return undefined;
    }
    throw err;
  }
}

const modes: fc.Arbitrary<Partial<CompileOptions>> = fc.constantFrom(
  { mode: 'rule' as const, isSuperuser: false },
  { mode: 'filter' as const, isSuperuser: false },
  { mode: 'filter' as const, isSuperuser: true },
);

const collections = fc.constantFrom(posts, posts, posts, ...allCollections);

const bodyValue = fc.oneof(fc.jsonValue({ maxDepth: 2 }), anyString, fc.constantFrom('g1', 'p1', 'u1', ''));
const requests: fc.Arbitrary<RequestInfo> = fc
  .record({
    auth: fc.oneof(
      fc.constant(null),
      fc.constantFrom('u1', 'u2', 'u3').map((id) => authOf(db, id)),
      fc.dictionary(fc.constantFrom('id', 'team', 'roles', 'collectionId'), bodyValue),
    ),
    body: fc.dictionary(fc.constantFrom('title', 'views', 'tags', 'labels', 'x', 'author'), bodyValue),
    q: anyString,
    token: anyString,
    method: fc.constantFrom('GET', 'POST', 'PATCH'),
  })
  .map(({ auth, body, q, token, method }) =>
    request({ auth, body, query: { q }, headers: { 'X-Token': token }, method }),
  );

/** Compiles `expr` and, when accepted, runs it; returns the SQL text (or undefined when refused). */
function compileAndRun(expr: string, opts: Partial<CompileOptions>, req: RequestInfo): string | undefined {
  const collection = opts.collection ?? posts;
  const full: CompileOptions = { collection, schema, mode: 'rule', isSuperuser: false, alias: 'r', ...opts };
  const compiled = refusedOr(() => compiler.compile(expr, full));
  if (!compiled) {
    return undefined;
  }
  const params = compiled.bind(req) as never[];
  db.prepare(`SELECT "r"."id" FROM "${collection.name}" "r" WHERE ${compiled.sql}`).all(...params);
  return compiled.sql;
}

function assertNoLiteral(sql: string | undefined, expr: string): void {
  if (sql !== undefined) {
    assert.ok(!sql.includes(LITERAL_MARK), `a text literal reached the SQL of ${JSON.stringify(expr)}: ${sql}`);
    assert.ok(!sql.includes(NUMBER_MARK), `a number literal reached the SQL of ${JSON.stringify(expr)}: ${sql}`);
  }
}

void describe('random filter input', () => {
  void it('token soups: only 400/403, no SQL error, no literal in the SQL', () => {
    fc.assert(
      fc.property(tokenSoup, modes, requests, (expr, opts, req) => {
        assertNoLiteral(compileAndRun(expr, opts, req), expr);
      }),
      RUNS,
    );
  });

  void it('well-formed random expressions: only 400/403, no SQL error, no literal in the SQL', () => {
    let compiled = 0;
    fc.assert(
      fc.property(randomExpression, modes, collections, requests, (expr, opts, collection, req) => {
        const sql = compileAndRun(expr, { ...opts, collection }, req);
        compiled += sql === undefined ? 0 : 1;
        assertNoLiteral(sql, expr);
      }),
      { ...RUNS, numRuns: 500 },
    );
    assert.ok(compiled > 50, `only ${compiled} random expressions compiled: the generator is too narrow`);
  });

  void it('mutated valid expressions: only 400/403 and no SQL error', () => {
    fc.assert(
      fc.property(mutatedExpression, modes, requests, (expr, opts, req) => {
        compileAndRun(expr, opts, req);
      }),
      RUNS,
    );
  });

  void it('random unicode (NUL, lone surrogates, astral) as a whole expression', () => {
    fc.assert(
      fc.property(fc.oneof(anyString, fc.string({ unit: 'binary' })), modes, (expr, opts) => {
        compileAndRun(expr, opts, request());
      }),
      RUNS,
    );
  });
});

const sortTerm = fc
  .tuple(
    fc.constantFrom('', '-', '+', ' -'),
    fc.oneof(fc.constantFrom(...IDENTIFIERS, ...HOSTILE, '@random', '@rowid'), anyString),
  )
  .map(([sign, name]) => sign + name);

void describe('random sort, fields and expand params', () => {
  void it('sort: only 400/403 and no SQL error', () => {
    fc.assert(
      fc.property(fc.array(sortTerm, { maxLength: 9 }), modes, (terms, opts) => {
        const sort = terms.join(',');
        const full: CompileOptions = {
          collection: posts,
          schema,
          mode: 'filter',
          isSuperuser: false,
          alias: 'r',
          ...opts,
        };
        const compiled = refusedOr(() => compiler.compileSort(sort, full));
        if (compiled && compiled.sql !== '') {
          const params = compiled.bind(request()) as never[];
          db.prepare(`SELECT "r"."id" FROM "posts" "r" ORDER BY ${compiled.sql}`).all(...params);
        }
      }),
      RUNS,
    );
  });

  void it('fields and expand: only 400, and a parsed fields tree applies to any record', () => {
    const record = { id: 'p1', title: 'x', expand: { author: { id: 'u1', name: 'a' } }, __proto__x: 1 };
    const param = fc.oneof(
      anyString,
      fc
        .array(
          fc.oneof(fc.constantFrom(...IDENTIFIERS, ...HOSTILE, 'expand.author', '*', 'title:excerpt(3)'), anyString),
          { maxLength: 6 },
        )
        .map((a) => a.join(',')),
    );
    fc.assert(
      fc.property(param, (text) => {
        const tree = refusedOr(() => parseFields(text));
        if (tree) {
          applyFields(record, tree);
          applyFields({ page: 1, perPage: 1, totalItems: 1, totalPages: 1, items: [record] }, tree);
        }
        refusedOr(() => parseExpand(text));
      }),
      RUNS,
    );
  });
});
