// `nestbase db copy` between SQLite and PostgreSQL with the real CLI, then servers on each copy (pg tier: the
// runner's throwaway PostgreSQL; skipped elsewhere).
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';

import { freshPostgresDatabase, runCli } from '@lib/testing';
import { contents, ok, seed, withServer } from './support/db-contents';

const PG = process.env.NB_TEST_POSTGRES_URL;
const TIMEOUT = { timeout: 600_000 };
const work = mkdtempSync(join(tmpdir(), 'nb-db-copy-'));
const drops: (() => Promise<void>)[] = [];

void describe('nestbase db copy', { skip: !PG && 'needs the pg tier (NB_TEST_POSTGRES_URL)' }, () => {
  after(async () => {
    for (const drop of drops) {
      await drop();
    }
    rmSync(work, { recursive: true, force: true });
  });

  void it('copies SQLite → PostgreSQL → SQLite; servers on each copy serve the same data', TIMEOUT, async () => {
    const pg = await freshPostgresDatabase(PG!);
    drops.push(() => pg.drop());
    const [a, b, c] = ['a', 'b', 'c'].map((d) => join(work, d));
    let before: Awaited<ReturnType<typeof contents>> | undefined;
    await withServer(a, null, async (http, su) => {
      await seed(http, su);
      before = await contents(http, su);
    });
    assert.equal((before!.posts as unknown[]).length, 30);
    assert.equal((before!.view as unknown[]).length, 21);

    const copied = await runCli(['db', 'copy', '--from', a, '--to', pg.url]);
    assert.equal(copied.code, 0, copied.stderr + copied.stdout);
    assert.match(copied.stdout, /^ {2}posts +30 row\(s\) {2}[0-9a-f]{32}$/m);
    assert.match(copied.stdout, /^ {2}_superusers +1 row\(s\)/m);
    assert.match(copied.stdout, /Verified: .*counts and checksums match/);
    assert.match(copied.stderr, /copying rows: \d+\/\d+/);

    const again = await runCli(['db', 'copy', '--from', a, '--to', pg.url]);
    assert.equal(again.code, 2);
    assert.match(again.stderr, /already holds data: pass --replace/);

    await withServer(b, pg.url, async (http, su) => {
      assert.deepEqual(await contents(http, su), before);
      await ok(http, 'POST', '/api/collections/posts/records', su, { title: 'written on PostgreSQL', n: 9 });
      before = await contents(http, su);
    });

    const back = await runCli(['db', 'copy', '--from', pg.url, '--to', c]);
    assert.equal(back.code, 0, back.stderr + back.stdout);
    assert.match(back.stdout, /^ {2}posts +31 row\(s\)/m);
    // the request logs b wrote to PostgreSQL's _logs are not copied, and not named as a table left behind
    assert.doesNotMatch(back.stdout + back.stderr, /_logs/);
    await withServer(c, null, async (http, su) => {
      assert.deepEqual(await contents(http, su), before);
    });
    const refused = await runCli(['db', 'copy', '--from', pg.url, '--to', c]);
    assert.equal(refused.code, 2);
    assert.match(refused.stderr, /already holds data/);
  });

  void it('a failed copy leaves the PostgreSQL target as it was; CLI backups on PostgreSQL', TIMEOUT, async () => {
    const pg = await freshPostgresDatabase(PG!);
    drops.push(() => pg.drop());
    const [d, e] = ['d', 'e'].map((x) => join(work, x));
    await withServer(d, null, async (http, su) => {
      await seed(http, su);
    });
    assert.equal((await runCli(['db', 'copy', '--from', d, '--to', pg.url])).code, 0);
    // a view only SQLite runs (printf): the copy with --replace fails at the view, after the rows
    await withServer(d, null, async (http, su) => {
      await ok(http, 'POST', '/api/collections/posts/records', su, { title: 'only on SQLite', n: 1 });
      await ok(http, 'POST', '/api/collections', su, {
        name: 'only_sqlite',
        type: 'view',
        viewQuery: "SELECT id, printf('%s!', title) AS t FROM posts",
      });
    });
    const failed = await runCli(['db', 'copy', '--from', d, '--to', pg.url, '--replace']);
    assert.equal(failed.code, 2, failed.stdout);
    assert.match(failed.stderr, /view collection "only_sqlite": its query doesn't run on PostgreSQL/);
    // the CLI's backups on PostgreSQL: create, then restore over later writes
    const env = { env: { DATABASE_URL: pg.url } };
    const backup = await runCli(['backup', 'create', 'cli.zip', '--dir', e], env);
    assert.equal(backup.code, 0, backup.stderr);
    await withServer(e, pg.url, async (http, su) => {
      const list = await ok(http, 'GET', '/api/collections/posts/records?perPage=1', su);
      assert.equal(list.totalItems, 30);
      const views = await http.request('GET', '/api/collections/only_sqlite', { token: su });
      assert.equal(views.status, 404);
      await ok(http, 'POST', '/api/collections/posts/records', su, { title: 'after the backup', n: 1 });
    });
    const restored = await runCli(['backup', 'restore', 'cli.zip', '--dir', e], env);
    assert.equal(restored.code, 0, restored.stderr);
    await withServer(e, pg.url, async (http, su) => {
      const list = await ok(http, 'GET', '/api/collections/posts/records?perPage=1', su);
      assert.equal(list.totalItems, 30);
    });
  });
});
