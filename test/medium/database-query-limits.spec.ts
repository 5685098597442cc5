// The query time limit on a real SQLite file: a statement that calls the interrupt function (every join of a
// compiled relation path does) is stopped at the limit, on the main connection and in a read worker; a
// worker stuck in a step that calls no function is given up and replaced; reads inside a write transaction
// stay on the main connection (they see its uncommitted rows).
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';

import { ApiError } from '@lib/core';
import { Database, openDataSource } from '@lib/database';
import { latenessProbe } from '@lib/testing';

const LIMIT_MS = 300;
/** Counts to 50 million, calling the interrupt function on every row: seconds of work without a limit. */
const TICKING =
  'WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE nb_tick() AND x < 50000000) SELECT count(*) AS n FROM c';
/** The same without the function: a step SQLite runs to its end (only giving up on the worker helps). */
const SILENT =
  'WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 30000000) SELECT count(*) AS n FROM c';

/** read-pool.ts's grace past the limit before a stuck worker is given up. */
const GRACE_MS = 250;
/** What a timer may be late by on a quiet machine, beyond the lateness the probe saw. */
const SLACK_MS = 250;

async function timed<T>(work: () => Promise<T>): Promise<{ ms: number; error: unknown }> {
  const start = performance.now();
  try {
    await work();
    return { ms: performance.now() - start, error: null };
  } catch (error) {
    return { ms: performance.now() - start, error };
  }
}

function assertTimeout(error: unknown): void {
  assert.ok(error instanceof ApiError, `not an ApiError: ${String(error)}`);
  assert.equal(error.status, 400);
  assert.match(error.message, new RegExp(`longer than the ${LIMIT_MS} ms`));
}

void describe('Database query limits', () => {
  let dir = '';
  let db: Database;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'nestbase-limits-'));
    db = new Database(await openDataSource({ dataDir: dir, busyTimeoutMs: 5000 }), {
      queryTimeoutMs: LIMIT_MS,
      readWorkers: 1,
    });
    await db.run('CREATE TABLE "t" ("id" TEXT PRIMARY KEY, "v" TEXT)');
    await db.run('INSERT INTO "t" VALUES (?, ?)', ['a', '1']);
  });

  after(async () => {
    await db?.close();
    await rm(dir, { recursive: true, force: true });
  });

  void it('stops a statement on the main connection at the limit', async () => {
    const { ms, error } = await timed(() => db.query(TICKING));
    assertTimeout(error);
    assert.ok(ms >= LIMIT_MS * 0.9 && ms < LIMIT_MS * 5, `stopped after ${Math.round(ms)} ms`);
    assert.deepEqual(await db.query('SELECT "v" FROM "t"'), [{ v: '1' }]);
  });

  void it('stops a statement in a read worker at the limit, the event loop free meanwhile', async () => {
    let ticks = 0;
    const timer = setInterval(() => ticks++, 10);
    const probe = latenessProbe();
    const { ms, error } = await timed(() => db.reads.query(TICKING));
    const late = probe.stop();
    clearInterval(timer);
    assertTimeout(error);
    const bound = LIMIT_MS * 5 + late;
    assert.ok(ms >= LIMIT_MS * 0.9 && ms < bound, `stopped after ${Math.round(ms)} ms (bound ${Math.round(bound)})`);
    assert.ok(ticks >= (ms / 10) * 0.3, `the event loop ran ${ticks} timers in ${Math.round(ms)} ms`);
    assert.deepEqual(await db.reads.query('SELECT "v" FROM "t"'), [{ v: '1' }]);
  });

  void it('gives up on a worker stuck in a step past the limit and serves the next read with a fresh one', async () => {
    // A started worker: what is timed below is the give-up, not a worker's start.
    assert.deepEqual(await db.reads.query('SELECT "v" FROM "t"'), [{ v: '1' }]);
    // The stuck step runs for seconds (tens on a loaded machine); the give-up is due at the limit plus the grace,
    // late by as much as any timer of this loop was meanwhile.
    const probe = latenessProbe();
    const { ms, error } = await timed(() => db.reads.query(SILENT));
    const late = probe.stop();
    assertTimeout(error);
    const bound = LIMIT_MS + GRACE_MS + SLACK_MS + late;
    assert.ok(
      ms >= LIMIT_MS * 0.9 && ms < bound,
      `answered after ${Math.round(ms)} ms (bound ${Math.round(bound)}: event loop ${Math.round(late)} ms late)`,
    );
    // The stuck thread still runs its step: a read waiting for it would get a 503 once its queue wait is over.
    const nextProbe = latenessProbe();
    const next = await timed(() => db.reads.query('SELECT "v" FROM "t"'));
    const nextLate = nextProbe.stop();
    assert.equal(next.error, null);
    const nextBound = 1000 + nextLate;
    assert.ok(next.ms < nextBound, `the next read waited ${Math.round(next.ms)} ms (bound ${Math.round(nextBound)})`);
  });

  void it('reads committed rows in a worker, uncommitted ones of an open transaction on the main connection', async () => {
    await db.transaction(async (tx) => {
      await tx.run('INSERT INTO "t" VALUES (?, ?)', ['b', '2']);
      assert.deepEqual(await db.reads.query('SELECT "id" FROM "t" ORDER BY "id"'), [{ id: 'a' }, { id: 'b' }]);
    });
    assert.deepEqual(await db.reads.query('SELECT "id" FROM "t" ORDER BY "id"'), [{ id: 'a' }, { id: 'b' }]);
  });
});
