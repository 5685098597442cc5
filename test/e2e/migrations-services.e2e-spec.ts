// Who applies migrations besides `nestbase serve`: the split records service (it owns the schema; the auth
// service refuses the migrations flags), nestbase as a library (`new NestBase({ migrationsDir })`), and two
// processes started together on one data dir apply each file once (each file's transaction takes the write lock
// and checks `_migrations` inside it).
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';

import {
  freePort,
  HttpClient,
  ManagedProcess,
  repoRoot,
  runCli,
  startProcess,
  startSplitService,
  STARTUP_CEILING_MS,
  TEST_CEILING_MS,
  waitForBanner,
  waitForHealth,
} from '@lib/testing';
import { assertExit, cleanUp, migrateCli, project, serve, SU, writeMigration } from './support/migrations';

const TIMEOUT = { timeout: TEST_CEILING_MS };
const POSTS = `migrate((app) => {
  const posts = new Collection({ name: 'posts', listRule: '', fields: [{ name: 'title', type: 'text' }] });
  app.save(posts);
  app.save(new Record(posts, { title: 'once' }));
});
`;

const procs: ManagedProcess[] = [];
after(async () => {
  await Promise.all(procs.map((p) => p.stop('SIGKILL')));
  await cleanUp();
});

async function postTitles(baseUrl: string): Promise<string[]> {
  const res = await new HttpClient(baseUrl).request('GET', '/api/collections/posts/records');
  assert.equal(res.status, 200, res.text);
  return res.json<{ items: { title: string }[] }>().items.map((r) => r.title);
}

void describe('migrations beyond nestbase serve', () => {
  void it('the records service applies them at start; auth refuses the migrations flags', TIMEOUT, async () => {
    const p = project();
    writeMigration(p.migrations, '1700000001_posts.js', POSTS);
    const records = await startSplitService('records', p.data, ['--migrationsDir', p.migrations], { env: SU });
    procs.push(records);
    await waitForBanner(records, /Applied migration 1700000001_posts\.js/);
    assert.deepEqual(await postTitles(records.baseUrl), ['once']);
    const auth = await runCli([
      'auth',
      '--http',
      `127.0.0.1:${await freePort()}`,
      '--dir',
      p.data,
      '--migrationsDir',
      p.migrations,
    ]);
    assertExit(auth, 2, 'auth --migrationsDir');
    assert.match(auth.stderr, /^Error: --migrationsDir and --automigrate are flags of the records service/);
  });

  void it('new NestBase({ migrationsDir }) applies them when nestbase is a library', TIMEOUT, async () => {
    const p = project();
    const elsewhere = join(p.root, 'schema');
    writeMigration(elsewhere, '1700000001_posts.js', POSTS);
    const port = await freePort();
    const program = join(p.root, 'main.js');
    writeFileSync(
      program,
      `const { NestBase } = require(${JSON.stringify(repoRoot())});
new NestBase({ dir: ${JSON.stringify(p.data)}, http: '127.0.0.1:${port}', migrationsDir: ${JSON.stringify(elsewhere)} })
  .start()
  .catch((error) => { console.error(error.message); process.exit(1); });
`,
    );
    const lib = startProcess([program], { cwd: p.root }, `http://127.0.0.1:${port}`);
    procs.push(lib);
    await waitForHealth(lib.baseUrl, STARTUP_CEILING_MS, lib.child, () => lib.stdout() + lib.stderr());
    assert.deepEqual(await postTitles(lib.baseUrl), ['once']);
  });

  void it('two processes started together apply each migration once', TIMEOUT, async () => {
    const p = project();
    writeMigration(p.migrations, '1700000001_posts.js', POSTS);
    writeMigration(
      p.migrations,
      '1700000002_more.js',
      "migrate((app) => {\n  app.save(new Record(app.findCollectionByNameOrId('posts'), { title: 'twice?' }));\n});\n",
    );
    const [a, b] = await Promise.all([migrateCli(p, 'up'), migrateCli(p, 'up')]);
    assertExit(a, 0, 'first');
    assertExit(b, 0, 'second');
    const applied = (a.stdout + b.stdout).split('\n').filter((l) => /^Applied \d{10}_/.test(l));
    assert.deepEqual(applied.sort(), ['Applied 1700000001_posts.js', 'Applied 1700000002_more.js']);
    const s = await serve(p);
    assert.deepEqual((await postTitles(s.proc.baseUrl)).sort(), ['once', 'twice?']);
    await s.proc.stop();
  });
});
