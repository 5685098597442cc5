// The query library's case corpus on both databases: the SQLite specs run here first (and record every case
// with its result), then each recorded case runs on a PostgreSQL this file starts, with the same data.
import './filter-operators.spec';
import './filter-relations.spec';
import './filter-request.spec';
import './filter-security.spec';
import './query-limits.spec';
import './query-compiler.spec';
import './sort.spec';
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ApiError } from '@lib/core';
import { PostgresServer } from '@lib/testing';
import { DATA } from './testing/fixture';
import { RECORDED_CALLS } from './testing/recorded-calls';
import { type PostgresRunner, postgresRunner } from './testing/postgres-fixture';
import { POSTGRES_ONLY_REFUSALS } from './testing/postgres-differences';

let server: PostgresServer | undefined;
let pg: PostgresRunner;

void describe('PostgreSQL: the SQLite case corpus gives the same results', () => {
  before(async () => {
    server = await PostgresServer.start();
    pg = await postgresRunner(server.url);
  });
  after(async () => {
    await pg?.pool.end();
    await server?.stop();
  });

  void it('replays every recorded case', async (t) => {
    assert.ok(RECORDED_CALLS.length > 300, `only ${RECORDED_CALLS.length} cases were recorded`);
    // Cases on rows a spec added to its own SQLite database only (query-limits' p9) are run by the test below.
    const known = new Set(Object.values(DATA).flatMap((rows) => rows.map((r) => String(r['id']))));
    const replayed = RECORDED_CALLS.filter((c) => !('ids' in c.result) || c.result.ids.every((id) => known.has(id)));
    for (const call of replayed) {
      await t.test(`${call.kind} ${JSON.stringify(call.expr).slice(0, 120)}`, async () => {
        let outcome: { ids: string[] } | { status: number; message: string };
        pg.compiler.clear(); // the cases of different files use different schemas under the same collection ids
        try {
          const ids =
            call.kind === 'sort'
              ? await pg.sorted(call.expr, call.opts, call.req)
              : await pg.ids(call.expr, call.opts, call.req);
          outcome = { ids };
        } catch (err) {
          if (!(err instanceof ApiError)) {
            throw err;
          }
          outcome = { status: err.status, message: err.message };
        }
        if ('status' in outcome && 'ids' in call.result) {
          const known = POSTGRES_ONLY_REFUSALS.some((r) => r.test(outcome.message));
          assert.ok(known && outcome.status === 400, `refused on PostgreSQL only: ${outcome.message}`);
          return;
        }
        if ('status' in call.result) {
          assert.ok('status' in outcome, `accepted on PostgreSQL, ${call.result.status} on SQLite`);
          assert.equal(outcome.status, call.result.status);
          return;
        }
        if (call.expr.includes('@random') && 'ids' in outcome && 'ids' in call.result) {
          assert.deepEqual([...outcome.ids].sort(), [...call.result.ids].sort());
          return;
        }
        assert.deepEqual(outcome, call.result);
      });
    }
  });

  void it("a `~` pattern over SQLite's LIKE length limit matches nothing on both", async () => {
    const long = 'x'.repeat(60_000);
    await pg.pool.query(`INSERT INTO "posts" ("id", "title") VALUES ('p9', $1)`, [long]);
    try {
      assert.deepEqual(await pg.ids("'abc' ~ title && id = 'p9'"), []);
      assert.deepEqual(await pg.ids("title ~ 'xxx' && id = 'p9'"), ['p9']);
      assert.deepEqual(await pg.ids("title !~ 'xxx' && id = 'p9'"), []);
    } finally {
      await pg.pool.query(`DELETE FROM "posts" WHERE "id" = 'p9'`);
    }
  });
});
