// Database.backupTo on a real SQLite file while another connection (as another process of the distributed set
// would) commits without pause: the copy finishes, opens cleanly, passes integrity_check and holds every row
// committed before it began. SQLite's backup API would start over at each of those commits.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';

import Sqlite from 'better-sqlite3';

import { Database, openDataSource } from '@lib/database';

void describe('Database.backupTo', () => {
  let dir = '';
  let db: Database;
  let other: Database;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'nestbase-snapshot-'));
    db = new Database(await openDataSource({ dataDir: dir, busyTimeoutMs: 5000 }));
    other = new Database(await openDataSource({ dataDir: dir, busyTimeoutMs: 5000 }));
    await db.run('CREATE TABLE "t" ("id" INTEGER PRIMARY KEY, "v" TEXT)');
    // A few MB, so that the copy takes many pages.
    await db.transaction(async (tx) => {
      for (let i = 0; i < 20_000; i++) {
        await tx.run('INSERT INTO "t" ("v") VALUES (?)', ['x'.repeat(200)]);
      }
    });
  });

  after(async () => {
    await Promise.all([db?.close(), other?.close()]);
    await rm(dir, { recursive: true, force: true });
  });

  void it('copies a consistent snapshot while another connection commits without pause', async () => {
    let writing = true;
    let commits = 0;
    const writer = (async () => {
      while (writing) {
        await other.run('INSERT INTO "t" ("v") VALUES (?)', ['y']);
        commits++;
        await new Promise((resolve) => setImmediate(resolve));
      }
    })();
    const file = join(dir, 'copy.db');
    try {
      await db.backupTo(file);
    } finally {
      writing = false;
      await writer;
    }
    assert.ok(commits > 0, 'the other connection committed during the copy');
    const copy = new Sqlite(file, { readonly: true });
    try {
      assert.equal(copy.pragma('integrity_check', { simple: true }), 'ok');
      const rows = copy.prepare('SELECT count(*) FROM "t"').pluck().get() as number;
      assert.ok(rows >= 20_000 && rows <= 20_000 + commits, `${rows} rows`);
    } finally {
      copy.close();
    }
  });

  void it('refuses to overwrite an existing file', async () => {
    await assert.rejects(db.backupTo(join(dir, 'copy.db')), /snapshot of data\.db/);
  });
});
