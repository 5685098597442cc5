// Group commit on a real SQLite file: writes issued while a write transaction is open share it, each in a savepoint
// of its own. A write that fails is rolled back alone; the others are answered only once the COMMIT that holds
// them is done (another connection sees them by then); when SQLite ends the transaction under the group, the
// writes it had done answer 503 and none of them is kept.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';

import { NB_METRICS, ServiceUnavailableError } from '@lib/core';
import { Database, openDataSource } from '@lib/database';

void describe('Database group commit (SQLite)', () => {
  let dir = '';
  let db: Database;
  let other: Database;

  const commits = () => NB_METRICS.sqliteCommits.labels().value;
  const committedWrites = () => NB_METRICS.sqliteCommittedWrites.labels().value;
  const ids = async (prefix: string) =>
    (await other.query<{ id: string }>('SELECT "id" FROM "t" WHERE "id" LIKE ? ORDER BY "id"', [`${prefix}%`])).map(
      (r) => r.id,
    );
  const insert = (id: string, then?: () => Promise<void>) =>
    db.transaction(async (tx) => {
      await tx.run('INSERT INTO "t" VALUES (?)', [id]);
      await then?.();
      return id;
    });

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'nestbase-group-'));
    db = new Database(await openDataSource({ dataDir: dir, busyTimeoutMs: 5000 }));
    other = new Database(await openDataSource({ dataDir: dir, busyTimeoutMs: 5000 }));
    await db.run('CREATE TABLE "t" ("id" TEXT PRIMARY KEY)');
  });

  after(async () => {
    await Promise.all([db?.close(), other?.close()]);
    await rm(dir, { recursive: true, force: true });
  });

  void it('writes issued together share one commit; a failing one is rolled back alone', async () => {
    const [commitsBefore, writesBefore] = [commits(), committedWrites()];
    const seen: Record<string, string[]> = {};
    const writes = ['a1', 'a2', 'a3', 'a4', 'a5'].map((id) =>
      insert(id, async () => {
        if (id === 'a3') {
          throw new Error('a3 fails');
        }
      }).then(async (done) => {
        seen[done] = await ids('a'); // what another connection sees once this write is answered
        return done;
      }),
    );
    const results = await Promise.allSettled(writes);
    assert.deepEqual(
      results.map((r) => (r.status === 'fulfilled' ? r.value : (r.reason as Error).message)),
      ['a1', 'a2', 'a3 fails', 'a4', 'a5'],
    );
    assert.deepEqual(await ids('a'), ['a1', 'a2', 'a4', 'a5']);
    for (const id of ['a1', 'a2', 'a4', 'a5']) {
      assert.deepEqual(seen[id], ['a1', 'a2', 'a4', 'a5'], `${id} was answered before its commit`);
    }
    assert.equal(commits() - commitsBefore, 1, 'one COMMIT for the group');
    assert.equal(committedWrites() - writesBefore, 4);
  });

  void it('a transaction SQLite ended under the group: the writes done before it answer 503, none is kept', async () => {
    const kept = insert('b1');
    const breaking = db.transaction(async (tx) => {
      await tx.run('INSERT INTO "t" VALUES (?)', ['b2']);
      await tx.run('ROLLBACK'); // as SQLite does by itself on an I/O error or a full disk
      throw new Error('b2 fails');
    });
    const next = insert('b3');
    const results = await Promise.allSettled([kept, breaking, next]);
    assert.equal(results[0].status, 'rejected');
    assert.ok(results[0].reason instanceof ServiceUnavailableError);
    assert.equal(((results[1] as PromiseRejectedResult).reason as Error).message, 'b2 fails');
    assert.deepEqual(results[2], { status: 'fulfilled', value: 'b3' }, 'a write after the loss goes to a new group');
    assert.deepEqual(await ids('b'), ['b3']);
  });

  void it("a group's commit moves writeCount (a count a read worker took meanwhile didn't see its rows)", async () => {
    let during = 0;
    await db.transaction(async (tx) => {
      await tx.run('INSERT INTO "t" VALUES (?)', ['d1']);
      during = db.writeCount()!;
    });
    assert.ok(db.writeCount()! > during);
  });

  void it('a write alone is committed too, and the connection takes the next one', async () => {
    assert.equal(await insert('c1'), 'c1');
    assert.deepEqual(await ids('c'), ['c1']);
    await db.schemaTransaction(async (tx) => {
      await tx.run('INSERT INTO "t" VALUES (?)', ['c2']);
    });
    assert.deepEqual(await ids('c'), ['c1', 'c2']);
  });
});
