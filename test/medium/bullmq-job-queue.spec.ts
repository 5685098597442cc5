// BullmqJobQueue on a real redis-server: jobs added by one queue instance are run exactly once by
// the workers of two other processes; failures retry with exponential back-off, then give up.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { currentRequestId, runInContext } from '@lib/core';
import { BullmqJobQueue } from '@lib/jobs';
import { ManagedProcess, TEST_CEILING_MS } from '@lib/testing';

import { startBullmqWorker, useBullmqFixture, waitFor } from './support/bullmq-fixture';

const TIMEOUT = { timeout: TEST_CEILING_MS };

void describe('BullmqJobQueue', () => {
  const fx = useBullmqFixture();
  const workers: ManagedProcess[] = [];
  const connect = (prefix: string): Promise<BullmqJobQueue> => fx.connect(prefix);

  void it('runs each job added in this process exactly once across two worker processes', TIMEOUT, async () => {
    const prefix = 'nbtest-once';
    for (let i = 0; i < 2; i++) {
      workers.push(fx.track(await startBullmqWorker(fx.redis.url, prefix)));
    }
    const producer = await connect(prefix);
    const ids = Array.from({ length: 40 }, (_, i) => `job-${i}`);
    await Promise.all(ids.map((id) => producer.add('test.job', { id })));

    const done = (): string[] =>
      workers.flatMap((w) => w.stdout().split('\n')).filter((line) => line.startsWith('done '));
    await waitFor(() => done().length >= ids.length, `${ids.length} jobs done`);
    // None left waiting or active, so none can run again: the count below is final.
    await waitFor(
      async () =>
        (await fx.redis.cli('LLEN', `${prefix}:test.job:wait`)) === '0' &&
        (await fx.redis.cli('LLEN', `${prefix}:test.job:active`)) === '0',
      'the wait and active lists to empty',
    );
    assert.deepEqual(
      done()
        .map((l) => l.slice(5))
        .sort(),
      [...ids].sort(),
    );
    await producer.idle();
    assert.equal(await fx.redis.cli('LLEN', `${prefix}:test.job:wait`), '0');
  });

  void it('retries a failing job with exponential back-off until it succeeds', TIMEOUT, async () => {
    const queue = await connect('nbtest-retry');
    const calls: number[] = [];
    queue.process<{ failures: number }>('flaky', async ({ failures }) => {
      calls.push(Date.now());
      if (calls.length <= failures) {
        throw new Error(`failure ${calls.length}`);
      }
    });
    await queue.add('flaky', { failures: 2 }, { attempts: 3, backoffMs: 100 });
    await waitFor(() => calls.length === 3, 'the third attempt');
    await queue.idle();
    assert.ok(calls[1] - calls[0] >= 90, `first retry after ${calls[1] - calls[0]} ms`);
    assert.ok(calls[2] - calls[1] >= 190, `second retry after ${calls[2] - calls[1]} ms (doubled)`);
  });

  void it('gives a job up after its attempts and keeps it as failed', TIMEOUT, async () => {
    const queue = await connect('nbtest-giveup');
    let calls = 0;
    queue.process('broken', async () => {
      calls++;
      throw new Error('always');
    });
    await queue.add('broken', { n: 1 }, { attempts: 2, backoffMs: 20 });
    await waitFor(() => calls === 2, 'two attempts');
    await queue.idle();
    // Kept as failed: no attempt can follow.
    await waitFor(async () => (await fx.redis.cli('ZCARD', 'nbtest-giveup:broken:failed')) === '1', 'the failed job');
    assert.equal(calls, 2);
  });

  void it('honours delayMs before the first run', TIMEOUT, async () => {
    const queue = await connect('nbtest-delay');
    const added = Date.now();
    let ranAt = 0;
    queue.process('later', async () => {
      ranAt = Date.now();
    });
    await queue.add('later', {}, { delayMs: 300 });
    await waitFor(() => ranAt > 0, 'the delayed job');
    assert.ok(ranAt - added >= 290, `ran after ${ranAt - added} ms`);
  });

  void it('runs a job added during a request in that request context (its id in the worker)', TIMEOUT, async () => {
    const queue = await connect('nbtest-context');
    const seen: [unknown, string][] = [];
    queue.process<{ n: number }>('ctx', async (payload) => {
      seen.push([payload, currentRequestId()]);
    });
    await runInContext({ requestId: 'job-request-1' }, () => queue.add('ctx', { n: 1 }));
    await queue.add('ctx', { n: 2 });
    await waitFor(() => seen.length === 2, 'both jobs');
    assert.deepEqual(
      seen.sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b))),
      [
        [{ n: 1 }, 'job-request-1'],
        [{ n: 2 }, ''],
      ],
    );
  });

  void it(
    "pending counts a name's waiting, delayed and running jobs, asked from a process that has no handler",
    TIMEOUT,
    async () => {
      const producer = await connect('nbtest-pending');
      const observer = await connect('nbtest-pending');
      await producer.add('slow', { n: 1 });
      await producer.add('slow', { n: 2 }, { delayMs: 60_000 });
      assert.equal(await observer.pending('slow'), 2);
      let release = (): void => undefined;
      const held = new Promise<void>((resolve) => (release = resolve));
      let started = 0;
      const worker = await connect('nbtest-pending');
      worker.process('slow', async () => {
        started++;
        await held;
      });
      await waitFor(() => started === 1, 'the first job running');
      assert.equal(await observer.pending('slow'), 2, 'one running, one delayed');
      release();
      await waitFor(async () => (await observer.pending('slow')) === 1, 'the running job done');
      assert.equal(await observer.pending('never.added'), 0);
    },
  );
});
