import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { InProcessJobQueue } from './in-process-job-queue';

/** Lets due timers and the promise callbacks they start run. */
const turn = () => new Promise((resolve) => setTimeout(resolve, 0));

async function until(check: () => boolean | Promise<boolean>): Promise<void> {
  for (let i = 0; i < 1000 && !(await check()); i++) {
    await turn();
  }
  assert.ok(await check(), 'condition not reached');
}

void describe('InProcessJobQueue.pending', () => {
  void it('counts a name’s waiting, delayed, running and retrying jobs, and nothing once they are done', async () => {
    const queue = new InProcessJobQueue();
    try {
      let release = (): void => undefined;
      const held = new Promise<void>((resolve) => (release = resolve));
      let runs = 0;
      queue.process('a', async () => {
        runs++;
        await held;
      });
      await queue.add('a', { n: 1 });
      await queue.add('a', { n: 2 }, { delayMs: 60_000 });
      await queue.add('b', { n: 3 });
      assert.equal(await queue.pending('a'), 2);
      assert.equal(await queue.pending('b'), 1, 'no handler here: it waits, and counts');
      await until(() => runs === 1);
      assert.equal(await queue.pending('a'), 2, 'one running, one delayed');
      release();
      await until(async () => (await queue.pending('a')) === 1);
      assert.equal(await queue.pending('never'), 0);

      let attempts = 0;
      queue.process('flaky', async () => {
        attempts++;
        if (attempts === 1) {
          throw new Error('first attempt fails');
        }
      });
      await queue.add('flaky', {}, { backoffMs: 50 });
      await until(() => attempts === 1);
      assert.equal(await queue.pending('flaky'), 1, 'waiting for its retry');
      await until(async () => (await queue.pending('flaky')) === 0);
      assert.equal(attempts, 2);
    } finally {
      queue.onApplicationShutdown();
    }
  });
});
