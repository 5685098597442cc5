// `nestbase migrate …` and the migrations applied at serve start, through the CLI (child processes) and HTTP:
// create writes the skeleton, a migration's collection is served after start, down reverts it, up applies it
// again, history-sync forgets deleted files, a `migrate collections` snapshot rebuilds the schema elsewhere.
import assert from 'node:assert/strict';
import { existsSync, readFileSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import { after, describe, it } from 'node:test';

import Sqlite from 'better-sqlite3';

import { repoRoot, runCli, TEST_CEILING_MS, waitForBanner } from '@lib/testing';
import {
  assertExit,
  cleanUp,
  migrateCli,
  migrationNames,
  project,
  schemaOf,
  serve,
  writeMigration,
  type Project,
} from './support/migrations';

const TIMEOUT = { timeout: TEST_CEILING_MS };

/** Creates collection `name` with one record; down deletes it. */
const collectionMigration = (name: string) => `migrate((app) => {
  const collection = new Collection({ name: '${name}', type: 'base', listRule: '', fields: [{ name: 'title', type: 'text' }] });
  app.save(collection);
  app.save(new Record(collection, { title: 'from the migration' }));
}, (app) => {
  app.delete(app.findCollectionByNameOrId('${name}'));
});
`;

/**
 * Whether collection `name` exists (its `_collections` row and its table) and `1700000000_<name>.js` is an applied
 * migration, read from the data dir's database file (no server to start for it).
 */
function storedCollection(p: Project, name: string): { collection: boolean; table: boolean; applied: boolean } {
  const db = new Sqlite(join(p.data, 'data.db'));
  try {
    const one = (sql: string, value: string) => db.prepare(sql).pluck().get(value) !== undefined;
    return {
      collection: one('SELECT 1 FROM _collections WHERE name = ?', name),
      table: one("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", name),
      applied: one('SELECT 1 FROM _migrations WHERE file = ?', `1700000000_${name}.js`),
    };
  } finally {
    db.close();
  }
}

after(cleanUp);

void describe('nestbase migrate: help and usage', () => {
  for (const args of [
    ['migrate', '--help'],
    ['help', 'migrate'],
  ]) {
    void it(`nestbase ${args.join(' ')} prints the subcommands`, TIMEOUT, async () => {
      const res = await runCli(args);
      assertExit(res, 0, args.join(' '));
      for (const part of [
        'migrate up',
        'migrate down [N]',
        'migrate create NAME',
        'migrate collections',
        'history-sync',
      ]) {
        assert.ok(res.stdout.includes(part), `${part} missing:\n${res.stdout}`);
      }
    });
  }

  void it('a bad subcommand or count is one Error: line, exit 2', TIMEOUT, async () => {
    const p = project();
    for (const args of [['sideways'], ['down', 'two'], ['down', '0'], ['create'], []]) {
      const res = await migrateCli(p, ...args);
      assertExit(res, 2, `migrate ${args.join(' ')}`);
      assert.match(res.stderr, /^Error: usage: nestbase migrate /);
    }
  });
});

void describe('nestbase migrate', () => {
  void it(
    'create NAME writes <unix seconds>_<name>.js with the migrate skeleton beside the data dir',
    TIMEOUT,
    async () => {
      const p = project();
      const before = Math.floor(Date.now() / 1000);
      const res = await migrateCli(p, 'create', 'Add posts');
      assertExit(res, 0, 'create');
      const [name] = migrationNames(p.migrations);
      assert.match(name, /^\d{10}_add_posts\.js$/);
      assert.ok(Number(name.slice(0, 10)) >= before, name);
      assert.ok(res.stdout.includes(join(p.migrations, name)), res.stdout);
      const code = readFileSync(join(p.migrations, name), 'utf8');
      assert.match(code, /migrate\(\(app\) => \{[\s\S]*\}, \(app\) => \{[\s\S]*\}\);/);
      // The skeleton runs: a blank migration applies.
      const up = await migrateCli(p, 'up');
      assertExit(up, 0, 'up');
      assert.ok(up.stdout.includes(`Applied ${name}`), up.stdout);
    },
  );

  void it('a migration is applied at serve start; down reverts it; up applies it again', TIMEOUT, async () => {
    const p = project();
    writeMigration(p.migrations, '1700000000_posts.js', collectionMigration('posts'));
    const s = await serve(p);
    await waitForBanner(s.proc, /Applied migration 1700000000_posts\.js/);
    assert.equal((await s.su('GET', '/api/collections/posts')).status, 200);
    const list = await s.su('GET', '/api/collections/posts/records');
    assert.deepEqual(
      list.json<{ items: { title: string }[] }>().items.map((r) => r.title),
      ['from the migration'],
    );
    await s.proc.stop();
    assert.deepEqual(
      storedCollection(p, 'posts'),
      { collection: true, table: true, applied: true },
      'the reader sees what serve did',
    );

    const down = await migrateCli(p, 'down');
    assertExit(down, 0, 'down');
    assert.ok(down.stdout.includes('Reverted 1700000000_posts.js'), down.stdout);
    assert.deepEqual(storedCollection(p, 'posts'), { collection: false, table: false, applied: false }, 'reverted');

    const up = await migrateCli(p, 'up');
    assertExit(up, 0, 'up');
    assert.ok(up.stdout.includes('Applied 1700000000_posts.js'), up.stdout);
    const again = await migrateCli(p, 'up');
    assert.ok(again.stdout.includes('No new migrations to apply.'), again.stdout);
    assert.deepEqual(storedCollection(p, 'posts'), { collection: true, table: true, applied: true }, 'applied again');
  });

  void it('down on a terminal asks first: no keeps everything, yes reverts', TIMEOUT, async () => {
    const p = project();
    writeMigration(p.migrations, '1700000001_a.js', collectionMigration('a'));
    assertExit(await migrateCli(p, 'up'), 0, 'up');
    // util-linux `script` gives the CLI a terminal; the answer is typed into it
    const onTerminal = (answer: string) =>
      new Promise<string>((resolve, reject) => {
        const cli = `node ${join(repoRoot(), 'bin', 'nestbase.js')} migrate down --dir ${p.data}`;
        const child = spawn('script', ['-qec', cli, '/dev/null'], { stdio: ['pipe', 'pipe', 'inherit'] });
        let out = '';
        child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
        child.on('error', reject);
        child.on('close', () => resolve(out));
        child.stdin.end(`${answer}\n`);
      });
    const no = await onTerminal('n');
    assert.match(no, /Do you really want to revert the last 1 applied migration\(s\)\?/);
    assert.match(no, /Nothing reverted\./);
    const yes = await onTerminal('y');
    assert.match(yes, /Reverted 1700000001_a\.js/);
  });

  void it('down N reverts the last N, latest first', TIMEOUT, async () => {
    const p = project();
    writeMigration(p.migrations, '1700000001_a.js', collectionMigration('a'));
    writeMigration(p.migrations, '1700000002_b.js', collectionMigration('b'));
    writeMigration(p.migrations, '1700000003_c.js', collectionMigration('c'));
    assertExit(await migrateCli(p, 'up'), 0, 'up');
    const down = await migrateCli(p, 'down', '2');
    assertExit(down, 0, 'down 2');
    assert.deepEqual(
      down.stdout.split('\n').filter((l) => /^Reverted \d{10}_/.test(l)),
      ['Reverted 1700000003_c.js', 'Reverted 1700000002_b.js'],
    );
  });

  void it('history-sync forgets applied migrations whose files were deleted', TIMEOUT, async () => {
    const p = project();
    const file = writeMigration(p.migrations, '1700000001_a.js', 'migrate(() => {}, () => {});\n');
    writeMigration(p.migrations, '1700000002_b.js', 'migrate(() => {}, () => {});\n');
    assertExit(await migrateCli(p, 'up'), 0, 'up');
    const code = readFileSync(file, 'utf8');
    unlinkSync(file);
    // The latest applied file still exists; history-sync drops the other's row.
    const sync = await migrateCli(p, 'history-sync');
    assertExit(sync, 0, 'history-sync');
    assert.ok(sync.stdout.includes('Forgot 1700000001_a.js'), sync.stdout);
    assert.ok(!sync.stdout.includes('1700000002_b.js'), sync.stdout);
    // Its row is gone: the file put back counts as new.
    writeMigration(p.migrations, '1700000001_a.js', code);
    const up = await migrateCli(p, 'up');
    assert.ok(up.stdout.includes('Applied 1700000001_a.js'), up.stdout);
    assert.ok(!up.stdout.includes('1700000002_b.js'), up.stdout);
  });

  void it('down on an applied migration whose file is missing fails and changes nothing', TIMEOUT, async () => {
    const p = project();
    const file = writeMigration(p.migrations, '1700000001_a.js', collectionMigration('a'));
    assertExit(await migrateCli(p, 'up'), 0, 'up');
    unlinkSync(file);
    const down = await migrateCli(p, 'down');
    assertExit(down, 1, 'down');
    assert.match(down.stderr, /1700000001_a\.js: the file of an applied migration is missing/);
  });

  void it('a `migrate collections` snapshot rebuilds the schema on an empty data dir', TIMEOUT, async () => {
    const first = project();
    const s = await serve(first);
    const tags = await s.su('POST', '/api/collections', {
      name: 'tags',
      type: 'base',
      fields: [{ name: 'label', type: 'text', required: true }],
      indexes: ['CREATE UNIQUE INDEX idx_tags_label ON tags (label)'],
    });
    assert.equal(tags.status, 200, tags.text);
    const tagsId = tags.json<{ id: string }>().id;
    const posts = await s.su('POST', '/api/collections', {
      name: 'posts',
      type: 'base',
      listRule: '@request.auth.id != ""',
      fields: [
        { name: 'title', type: 'text' },
        { name: 'tags', type: 'relation', collectionId: tagsId, maxSelect: 5 },
      ],
    });
    assert.equal(posts.status, 200, posts.text);
    const view = await s.su('POST', '/api/collections', {
      name: 'titles',
      type: 'view',
      viewQuery: 'SELECT id, title FROM posts',
    });
    assert.equal(view.status, 200, view.text);
    const expected = await schemaOf(s);
    await s.proc.stop();

    const snap = await migrateCli(first, 'collections');
    assertExit(snap, 0, 'collections');
    const [file] = migrationNames(first.migrations);
    assert.match(file, /^\d{10}_collections_snapshot\.js$/);

    const second = project();
    writeMigration(second.migrations, file, readFileSync(join(first.migrations, file), 'utf8'));
    const replayed = await serve(second);
    await waitForBanner(replayed.proc, new RegExp(`Applied migration ${file}`));
    assert.deepEqual(await schemaOf(replayed), expected);
    await replayed.proc.stop();
    assert.ok(existsSync(join(second.data, 'data.db')));
  });
});
