// A migration that fails — a throw, a failed app call, a syntax error — stops `nestbase serve` and
// `nestbase migrate up`: exit code 1, one stderr line with file:line and the error; its transaction rolls back, so
// neither its data nor its `_migrations` row remain (it applies once fixed), and earlier files stay applied.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';

import Sqlite from 'better-sqlite3';

import { freePort, ProcessResult, runCli, TEST_CEILING_MS } from '@lib/testing';
import { assertExit, cleanUp, migrateCli, project, SU, writeMigration, type Project } from './support/migrations';

const TIMEOUT = { timeout: TEST_CEILING_MS };

const FIRST = `migrate((app) => {
  app.save(new Collection({ name: 'first', listRule: '', fields: [{ name: 'title', type: 'text' }] }));
});
`;

/** Line 4 throws once a collection and a record were written (awaited) in the same migration. */
const THROWS = `migrate(async (app) => {
  await app.save(new Collection({ name: 'second', fields: [] }));
  await app.save(new Record(app.findCollectionByNameOrId('first'), { title: 'written before the throw' }));
  throw new Error('boom');
});
`;

/** Line 3 asks for a collection whose name is taken: the save fails when it runs, after the code returned. */
const FAILED_CALL = `migrate((app) => {
  app.save(new Collection({ name: 'third', fields: [] }));
  app.save(new Collection({ name: 'first', fields: [] }));
  app.save(new Collection({ name: 'fourth', fields: [] }));
});
`;

const SYNTAX = `migrate((app) => {
  app.save(;
});
`;

function assertOneLineFailure(res: ProcessResult, where: RegExp): void {
  assertExit(res, 1, 'failing migration');
  const lines = res.stderr.trim().split('\n');
  assert.equal(lines.length, 1, `one stderr line:\n${res.stderr}`);
  assert.match(lines[0], where);
  assert.doesNotMatch(res.stderr, /^\s+at /m, 'no stack trace');
}

async function serveCli(p: Project): Promise<ProcessResult> {
  const port = await freePort();
  return runCli(['serve', '--http', `127.0.0.1:${port}`, '--dir', p.data], { env: SU });
}

/**
 * What the failed migrations left, read from the data dir's database file (no server to start): which of the test
 * collections exist, the records of `first`, the applied files (`_migrations` rows).
 */
function leftBehind(p: Project): { collections: string[]; firstRecords: number; applied: string[] } {
  const file = join(p.data, 'data.db');
  if (!existsSync(file)) {
    return { collections: [], firstRecords: 0, applied: [] };
  }
  const db = new Sqlite(file);
  try {
    const collections = db
      .prepare("SELECT name FROM _collections WHERE name IN ('first', 'second', 'third', 'fourth') ORDER BY name")
      .pluck()
      .all() as string[];
    const firstRecords = collections.includes('first')
      ? (db.prepare('SELECT count(*) FROM "first"').pluck().get() as number)
      : 0;
    const applied = db.prepare('SELECT file FROM _migrations ORDER BY file').pluck().all() as string[];
    return { collections, firstRecords, applied };
  } finally {
    db.close();
  }
}

after(cleanUp);

void describe('a failing migration', () => {
  void it(
    'that throws stops serve: exit 1, file:line on stderr, its writes and history row rolled back',
    TIMEOUT,
    async () => {
      const p = project();
      writeMigration(p.migrations, '1700000001_first.js', FIRST);
      const bad = writeMigration(p.migrations, '1700000002_second.js', THROWS);
      const res = await serveCli(p);
      assertOneLineFailure(res, new RegExp(`^Error: ${bad.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:4: Error: boom$`));
      assert.deepEqual(leftBehind(p), { collections: ['first'], firstRecords: 0, applied: ['1700000001_first.js'] });
      // Not recorded: fixed, it applies (and only it: the first stays applied).
      writeMigration(p.migrations, '1700000002_second.js', THROWS.replace("throw new Error('boom');", ''));
      const up = await migrateCli(p, 'up');
      assertExit(up, 0, 'up after the fix');
      assert.deepEqual(
        up.stdout.split('\n').filter((l) => /^Applied \d{10}_/.test(l)),
        ['Applied 1700000002_second.js'],
      );
      // (what leftBehind reads when a migration's writes stay: the same reader saw none above)
      assert.deepEqual(leftBehind(p), {
        collections: ['first', 'second'],
        firstRecords: 1,
        applied: ['1700000001_first.js', '1700000002_second.js'],
      });
    },
  );

  void it(
    'whose app call fails (a validation error) stops migrate up at that call, nothing kept',
    TIMEOUT,
    async () => {
      const p = project();
      writeMigration(p.migrations, '1700000001_first.js', FIRST);
      const bad = writeMigration(p.migrations, '1700000003_third.js', FAILED_CALL);
      const res = await migrateCli(p, 'up');
      assertOneLineFailure(res, /1700000003_third\.js:3: ValidationFailed: Failed to create collection\. \{"name":/);
      assert.ok(res.stdout.includes('Applied 1700000001_first.js'), res.stdout);
      assert.ok(bad);
      assert.deepEqual(leftBehind(p), { collections: ['first'], firstRecords: 0, applied: ['1700000001_first.js'] });
    },
  );

  void it('with a syntax error stops serve and migrate up at its line, nothing applied', TIMEOUT, async () => {
    const p = project();
    writeMigration(p.migrations, '1700000001_broken.js', SYNTAX);
    writeMigration(p.migrations, '1700000002_first.js', FIRST);
    assertOneLineFailure(await serveCli(p), /1700000001_broken\.js:2: SyntaxError: /);
    assertOneLineFailure(await migrateCli(p, 'up'), /1700000001_broken\.js:2: SyntaxError: /);
    assert.deepEqual(leftBehind(p), { collections: [], firstRecords: 0, applied: [] });
  });

  void it('a .ts migration that throws is reported at its TypeScript line', TIMEOUT, async () => {
    const p = project();
    writeMigration(
      p.migrations,
      '1700000001_typed.ts',
      "interface Note {\n  text: string;\n}\nconst note: Note = { text: 'typed' };\nmigrate(() => {\n  throw new Error(note.text);\n});\n",
    );
    assertOneLineFailure(await migrateCli(p, 'up'), /1700000001_typed\.ts:6: Error: typed$/);
  });
});
