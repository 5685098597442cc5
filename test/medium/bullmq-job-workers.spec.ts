// Which process works on which job, and what happens to a job whose worker dies: two worker processes on a real
// redis-server with a 4 s lock (longer than the 2.5 s job, so the survivor finishes within its first lock even when
// a loaded machine delays the lock renewal, after which BullMQ would run it again); one is SIGKILLed mid-job and
// the other finishes the job once the lock runs out. A process whose NB_JOB_WORKERS leaves a job name out never
// takes its jobs.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { BullmqJobQueue } from '@lib/jobs';
import { ManagedProcess, TEST_CEILING_MS } from '@lib/testing';

import { startBullmqWorker, useBullmqFixture, waitFor } from './support/bullmq-fixture';

const TIMEOUT = { timeout: TEST_CEILING_MS };
const LOCK_MS = 4000;
const SLOW_MS = 2500;

const lines = (worker: ManagedProcess, verb: string): string[] =>
  worker
    .stdout()
    .split('\n')
    .filter((line) => line.startsWith(`${verb} `))
    .map((line) => line.slice(verb.length + 1));

void describe('BullMQ workers: NB_JOB_WORKERS and NB_JOB_LOCK_MS', () => {
  const fx = useBullmqFixture();

  const startWorker = async (prefix: string, env: Record<string, string>): Promise<ManagedProcess> =>
    fx.track(await startBullmqWorker(fx.redis.url, prefix, [String(SLOW_MS)], env));

  // Adds only: a worker filter naming no job keeps this process from taking any.
  const producer = (prefix: string): Promise<BullmqJobQueue> => fx.connect(prefix, { workers: [] });

  void it('a job whose worker process is killed mid-job is run to the end by another worker', TIMEOUT, async () => {
    const prefix = 'nbtest-failover';
    const env = { NB_JOB_LOCK_MS: String(LOCK_MS), NB_JOB_WORKERS: '*' };
    const pair = [await startWorker(prefix, env), await startWorker(prefix, env)];
    const queue = await producer(prefix);
    await queue.add('slow.job', { id: 'only' }, { attempts: 1 });

    await waitFor(() => pair.some((w) => lines(w, 'start').includes('only')), 'a worker to start the job');
    const [victim, survivor] = lines(pair[0], 'start').includes('only') ? pair : [pair[1], pair[0]];
    const killedAt = Date.now();
    await victim.stop('SIGKILL');
    assert.deepEqual(lines(victim, 'done'), [], 'killed before it finished');

    await waitFor(() => lines(survivor, 'done').includes('only'), 'the other worker to finish the job');
    const recoveredAfter = Date.now() - killedAt;
    assert.ok(recoveredAfter >= LOCK_MS, `re-run only after the lock expired (${recoveredAfter} ms)`);
    await queue.idle();
    // Nothing left that could run it again: not waiting, not active (a re-run would be one of them first).
    const pending = async () =>
      (await fx.redis.cli('LLEN', `${prefix}:slow.job:wait`)) === '0' &&
      (await fx.redis.cli('LLEN', `${prefix}:slow.job:active`)) === '0';
    await waitFor(pending, 'the job to leave the wait and active lists');
    assert.deepEqual(lines(survivor, 'done'), ['only'], 'completed exactly once');
    assert.equal(await fx.redis.cli('ZCARD', `${prefix}:slow.job:failed`), '0', 'not failed (attempts: 1)');
    assert.equal(await fx.redis.cli('LLEN', `${prefix}:slow.job:wait`), '0');
    assert.equal(await fx.redis.cli('LLEN', `${prefix}:slow.job:active`), '0');
  });

  void it('a process whose NB_JOB_WORKERS leaves a job out does not take it', TIMEOUT, async () => {
    const prefix = 'nbtest-filter';
    // slow.job is quick here: a marker job of a name it does take, added after the others.
    const env = { NB_JOB_WORKERS: 'slow.job, mail.send' };
    const other = fx.track(await startBullmqWorker(fx.redis.url, prefix, ['10'], env));
    const queue = await producer(prefix);
    const ids = Array.from({ length: 10 }, (_, i) => `job-${i}`);
    await Promise.all(ids.map((id) => queue.add('test.job', { id })));
    await queue.add('slow.job', { id: 'marker' });
    await waitFor(() => lines(other, 'done').includes('marker'), 'the excluded process to run a job it does take');
    assert.deepEqual(lines(other, 'done'), ['marker'], 'no test.job taken by the excluded process');
    assert.equal(await fx.redis.cli('LLEN', `${prefix}:test.job:wait`), String(ids.length), 'all still waiting');

    const named = await startWorker(prefix, { NB_JOB_WORKERS: 'test.job' });
    await waitFor(() => lines(named, 'done').length === ids.length, 'the named worker to run them all');
    assert.deepEqual(lines(named, 'done').sort(), [...ids].sort());
    assert.deepEqual(lines(other, 'done'), ['marker']);
  });
});
