// `nestbase db copy` between SQLite and PostgreSQL with the real CLI, then servers on each copy (pg tier: the
// runner's throwaway PostgreSQL; skipped elsewhere).
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';

import { freshPostgresDatabase, HttpClient, runCli, startNestbase, tokenFor } from '@lib/testing';

const PG = process.env.NB_TEST_POSTGRES_URL;
const TIMEOUT = { timeout: 600_000 };
const SU = { email: 'copy-su@example.com', password: 'copy-Su-Passw0rd' };
const USER = { email: 'copy-user@example.com', password: 'copy-User-Passw0rd' };
const work = mkdtempSync(join(tmpdir(), 'nb-db-copy-'));
const drops: (() => Promise<void>)[] = [];

/** A server on `dir` (on PostgreSQL with `url`), `fn` with a superuser client, then stopped. */
async function withServer(dir: string, url: string | null, fn: (http: HttpClient, su: string) => Promise<void>) {
  const env: Record<string, string> = { PB_ADMIN_EMAIL: SU.email, PB_ADMIN_PASSWORD: SU.password };
  const proc = await startNestbase(dir, [], { env: url ? { ...env, DATABASE_URL: url } : env });
  try {
    const http = new HttpClient(proc.baseUrl);
    await fn(http, await tokenFor(http, '_superusers', SU.email, SU.password));
  } finally {
    await proc.stop();
  }
}

async function ok(http: HttpClient, method: 'POST' | 'GET', path: string, token: string, body?: unknown) {
  const res = await http.request(method, path, { token, ...(body === undefined ? {} : { body }) });
  assert.equal(res.status, 200, `${method} ${path}: ${res.text}`);
  return res.json<Record<string, unknown>>();
}

/** What a server shows: the posts (every field), the view, the users, the collections' names and indexes. */
async function contents(http: HttpClient, su: string) {
  const posts = await ok(http, 'GET', '/api/collections/posts/records?perPage=500&sort=id', su);
  const view = await ok(http, 'GET', '/api/collections/post_titles/records?perPage=500&sort=id', su);
  const users = await ok(http, 'GET', '/api/collections/users/records?sort=id', su);
  const cols = await ok(http, 'GET', '/api/collections?perPage=200&sort=name', su);
  const shape = (cols.items as { name: string; indexes: string[]; fields: unknown[] }[]).map((c) => [
    c.name,
    c.indexes,
    c.fields.length,
  ]);
  // a user signs in with the password set before the copy
  await tokenFor(http, 'users', USER.email, USER.password);
  return { posts: posts.items, view: view.items, users: users.items, shape };
}

async function seed(http: HttpClient, su: string): Promise<void> {
  await ok(http, 'POST', '/api/collections', su, {
    name: 'posts',
    type: 'base',
    listRule: '',
    fields: [
      { name: 'title', type: 'text' },
      { name: 'n', type: 'number' },
      { name: 'flag', type: 'bool' },
      { name: 'meta', type: 'json' },
      { name: 'tags', type: 'select', values: ['a', 'b', 'c'], maxSelect: 3 },
    ],
    indexes: ['CREATE UNIQUE INDEX idx_posts_title ON posts (title)'],
  });
  await ok(http, 'POST', '/api/collections', su, {
    name: 'post_titles',
    type: 'view',
    listRule: '',
    viewQuery: 'SELECT id, title FROM posts WHERE n > 2',
  });
  for (let i = 0; i < 30; i++) {
    const meta = { z: i, a: [1, 'two', null], nested: { ü: 'é', k: i % 2 === 0 } };
    await ok(http, 'POST', '/api/collections/posts/records', su, {
      title: `post ${i} ✓`,
      n: i / 4,
      flag: i % 3 === 0,
      meta,
      tags: i % 2 ? ['a', 'c'] : [],
    });
  }
  await ok(http, 'POST', '/api/collections/users/records', su, {
    ...USER,
    passwordConfirm: USER.password,
    name: 'Copy User',
  });
}

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
    await withServer(c, null, async (http, su) => {
      assert.deepEqual(await contents(http, su), before);
    });
    const refused = await runCli(['db', 'copy', '--from', pg.url, '--to', c]);
    assert.equal(refused.code, 2);
    assert.match(refused.stderr, /already holds data/);
  });

  void it('a copy that fails leaves the PostgreSQL target as it was', TIMEOUT, async () => {
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
    await withServer(e, pg.url, async (http, su) => {
      const list = await ok(http, 'GET', '/api/collections/posts/records?perPage=1', su);
      assert.equal(list.totalItems, 30);
      const views = await http.request('GET', '/api/collections/only_sqlite', { token: su });
      assert.equal(views.status, 404);
    });
  });
});
