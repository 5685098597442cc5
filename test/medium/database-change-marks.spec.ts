// Database.dataVersion() and writeCount() on a real SQLite file: together they move on every change a
// cache of database rows must notice (another connection's commit, a row written here, a rollback).
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';

import { Database, openDataSource } from '@lib/database';

void describe('Database change marks', () => {
  let dir = '';
  let db: Database;
  let other: Database;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'nestbase-marks-'));
    db = new Database(await openDataSource({ dataDir: dir, busyTimeoutMs: 5000 }));
    other = new Database(await openDataSource({ dataDir: dir, busyTimeoutMs: 5000 }));
    await db.run('CREATE TABLE "t" ("id" TEXT PRIMARY KEY, "v" TEXT)');
  });

  after(async () => {
    await Promise.all([db?.close(), other?.close()]);
    await rm(dir, { recursive: true, force: true });
  });

  void it('reads change nothing', async () => {
    const marks = [db.dataVersion(), db.writeCount()];
    await db.query('SELECT * FROM "t"');
    assert.deepEqual([db.dataVersion(), db.writeCount()], marks);
  });

  void it('a row written here moves writeCount, committed or not yet', async () => {
    const before = db.writeCount()!;
    await db.transaction(async (tx) => {
      await tx.run('INSERT INTO "t" VALUES (?, ?)', ['a', '1']);
      assert.ok(db.writeCount()! > before);
    });
    assert.ok(db.writeCount()! > before);
  });

  void it('a rollback moves writeCount', async () => {
    const before = db.writeCount()!;
    await assert.rejects(
      db.transaction(async () => {
        throw new Error('undo');
      }),
      /undo/,
    );
    assert.ok(db.writeCount()! > before);
  });

  void it("another connection's commit moves dataVersion, not writeCount", async () => {
    const [version, writes] = [db.dataVersion(), db.writeCount()];
    await other.run('UPDATE "t" SET "v" = ? WHERE "id" = ?', ['2', 'a']);
    assert.notEqual(db.dataVersion(), version);
    assert.equal(db.writeCount(), writes);
  });
});
