// cronAdd: each tick runs once across every instance. Two nestbase processes share a real redis-server
// (REDIS_URL) and a hooks file whose job appends "<tick> <pid>" to a file every second (the 6-field
// form with a leading seconds field, `*/1 * * * * *`, keeps the test short). Without Redis one process
// runs its ticks on an in-process timer.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';

import { ManagedProcess, startNestbase, TEST_CEILING_MS, TestClock, WAIT_CEILING_MS } from '@lib/testing';

import { writeHooksDir } from './support/hooks-files';
import { RedisServer } from './support/redis-server';

const TIMEOUT = { timeout: TEST_CEILING_MS };
const cleanup: string[] = [];

function tickHooks(file: string, expression = '*/1 * * * * *'): string {
  const dir = writeHooksDir({
    'tick.pb.js': `const fs = require('node:fs');
module.exports = (app) => {
  app.cronAdd('tick', '${expression}', (e) => {
    fs.appendFileSync(${JSON.stringify(file)}, e.time + ' ' + process.pid + '\\n');
  });
};
`,
  });
  cleanup.push(dir);
  return dir;
}

function ticks(file: string): Map<string, string[]> {
  const byTick = new Map<string, string[]>();
  const lines = existsSync(file) ? readFileSync(file, 'utf8').trim().split('\n').filter(Boolean) : [];
  for (const line of lines) {
    const [tick, pid] = line.split(' ');
    byTick.set(tick, [...(byTick.get(tick) ?? []), pid]);
  }
  return byTick;
}

/** Polls the ticks written to `file` until `enough` holds for them (a busy machine runs ticks late). */
async function waitForTicks(file: string, enough: (byTick: Map<string, string[]>) => boolean, what: string) {
  const deadline = Date.now() + WAIT_CEILING_MS;
  while (!enough(ticks(file))) {
    assert.ok(Date.now() < deadline, `no ${what} within ${WAIT_CEILING_MS} ms: ${JSON.stringify([...ticks(file)])}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

void describe('cronAdd', () => {
  after(() => cleanup.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

  void it('runs each tick once across two processes sharing Redis', TIMEOUT, async () => {
    const work = mkdtempSync(join(tmpdir(), 'nb-cron-'));
    cleanup.push(work);
    const file = join(work, 'ticks.log');
    const hooks = tickHooks(file);
    const redis = await RedisServer.start();
    const procs: ManagedProcess[] = [];
    try {
      const env = { env: { REDIS_URL: redis.url } };
      procs.push(await startNestbase(join(work, 'data'), ['--hooksDir', hooks], env));
      procs.push(await startNestbase(join(work, 'data'), ['--hooksDir', hooks], env));
      const since = new Date(Date.now() + 1000).toISOString();
      const whileBoth = (byTick: Map<string, string[]>) => [...byTick.keys()].filter((tick) => tick >= since);
      await waitForTicks(file, (byTick) => whileBoth(byTick).length >= 3, '3 ticks while both ran');
      // Both stopped before the check: a second run of a tick would be in the file by then.
      await Promise.all(procs.map((p) => p.stop()));
      const byTick = ticks(file);
      const both = [...byTick.keys()].filter((tick) => tick >= since);
      assert.ok(both.length >= 3, `expected ≥ 3 ticks while both ran, got ${[...byTick.keys()].join(', ')}`);
      for (const [tick, pids] of byTick) {
        assert.equal(pids.length, 1, `tick ${tick} ran ${pids.length} times (pids ${pids.join(', ')})`);
      }
    } finally {
      await Promise.all(procs.map((p) => p.stop()));
      await redis.stop();
    }
  });

  void it('a process on the same Redis without the cron takes none of its ticks', TIMEOUT, async () => {
    const work = mkdtempSync(join(tmpdir(), 'nb-cron-other-'));
    cleanup.push(work);
    const file = join(work, 'ticks.log');
    const empty = writeHooksDir({});
    cleanup.push(empty);
    const redis = await RedisServer.start();
    const procs: ManagedProcess[] = [];
    try {
      const env = { env: { REDIS_URL: redis.url } };
      // The one without the cron first: with one queue for every cron it would already be taking ticks.
      procs.push(await startNestbase(join(work, 'other'), ['--hooksDir', empty], env));
      procs.push(await startNestbase(join(work, 'data'), ['--hooksDir', tickHooks(file)], env));
      await waitForTicks(file, (byTick) => byTick.size >= 8, '8 ticks');
      await Promise.all(procs.map((p) => p.stop()));
      const seconds = [...ticks(file).keys()].map((tick) => Date.parse(tick) / 1000).sort((a, b) => a - b);
      const missing = seconds.slice(1).reduce((sum, s, i) => sum + (s - seconds[i] - 1), 0);
      // Taken by the other process, every other tick would be missing; a loaded machine may run one timer late.
      assert.ok(
        missing <= 1,
        `${missing} ticks missing between ${seconds.length} ticks: ${[...ticks(file).keys()].join(', ')}`,
      );
    } finally {
      await Promise.all(procs.map((p) => p.stop()));
      await redis.stop();
    }
  });

  void it('runs on an in-process timer without Redis', TIMEOUT, async () => {
    const work = mkdtempSync(join(tmpdir(), 'nb-cron-local-'));
    cleanup.push(work);
    const file = join(work, 'ticks.log');
    const server = await startNestbase(join(work, 'data'), ['--hooksDir', tickHooks(file)]);
    try {
      await waitForTicks(file, (byTick) => byTick.size >= 2, '2 ticks');
    } finally {
      await server.stop();
    }
    const byTick = ticks(file);
    assert.ok(byTick.size >= 2, `expected ≥ 2 ticks, got ${byTick.size}`);
    for (const [tick, pids] of byTick) {
      assert.equal(pids.length, 1, `tick ${tick} ran twice`);
      assert.match(tick, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.000Z$/);
    }
  });

  void it('a daily cron runs when the server clock reaches midnight (the test moves it there)', TIMEOUT, async () => {
    const work = mkdtempSync(join(tmpdir(), 'nb-cron-clock-'));
    cleanup.push(work);
    const file = join(work, 'ticks.log');
    const clock = new TestClock(join(work, 'server.clock'));
    const server = await startNestbase(join(work, 'data'), ['--hooksDir', tickHooks(file, '0 0 * * *')], {
      env: { NB_TEST_CLOCK_FILE: clock.file },
    });
    const midnight = new Date();
    midnight.setUTCHours(24, 0, 0, 0);
    try {
      assert.equal(ticks(file).size, 0);
      await clock.advance(midnight.getTime() - Date.now() + 500);
      await waitForTicks(file, (byTick) => byTick.size >= 1, 'the midnight tick');
    } finally {
      await server.stop();
    }
    assert.deepEqual([...ticks(file).keys()], [midnight.toISOString()]);
  });

  void it(
    'retries a failing tick with back-off (a job on the queue), once per tick across Redis',
    TIMEOUT,
    async () => {
      const work = mkdtempSync(join(tmpdir(), 'nb-cron-retry-'));
      cleanup.push(work);
      const file = join(work, 'attempts.log');
      // Fails the first attempt of every tick, succeeds on the retry.
      const hooks = writeHooksDir({
        'flaky.pb.js': `const fs = require('node:fs');
const seen = new Set();
module.exports = (app) => {
  app.cronAdd('flaky', '*/2 * * * * *', (e) => {
    const first = !seen.has(e.time);
    seen.add(e.time);
    fs.appendFileSync(${JSON.stringify(file)}, e.time + ' ' + (first ? 'fail' : 'ok') + '\\n');
    if (first) {
      throw new Error('first attempt fails');
    }
  });
};
`,
      });
      cleanup.push(hooks);
      const redis = await RedisServer.start();
      const server = await startNestbase(join(work, 'data'), ['--hooksDir', hooks], { env: { REDIS_URL: redis.url } });
      try {
        const retried = (outcomes: string[]) => outcomes.join(' ') === 'fail ok';
        await waitForTicks(file, (byTick) => [...byTick.values()].some(retried), 'tick that failed, then succeeded');
      } finally {
        await server.stop();
        await redis.stop();
      }
      const byTick = ticks(file);
      const retried = [...byTick.values()].filter((outcomes) => outcomes.join(' ') === 'fail ok');
      assert.ok(retried.length >= 1, `no tick failed then succeeded: ${JSON.stringify([...byTick])}`);
      for (const [tick, outcomes] of byTick) {
        assert.ok(outcomes.length <= 2 && outcomes[0] === 'fail', `tick ${tick}: ${outcomes.join(' ')}`);
      }
    },
  );
});
