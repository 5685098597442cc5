// Shared by the BullMQ medium tests: worker processes (support/bullmq-worker.ts) and bounded waits.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before } from 'node:test';

import { BullmqJobQueue } from '@lib/jobs';
import { ManagedProcess, repoRoot, startProcess, WAIT_CEILING_MS } from '@lib/testing';

import { RedisServer } from '../../e2e/support/redis-server';

/** Polls `check` (sync or async) every 20 ms; fails after `timeoutMs` naming `what`. */
export async function waitFor(
  check: () => boolean | Promise<boolean>,
  what: string,
  timeoutMs = WAIT_CEILING_MS,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) {
      assert.fail(`timed out after ${timeoutMs} ms waiting for ${what}`);
    }
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** A worker process on `redisUrl` with queue `prefix`, once it printed `ready`. */
export async function startBullmqWorker(
  redisUrl: string,
  prefix: string,
  extraArgs: string[] = [],
  env: Record<string, string> = {},
): Promise<ManagedProcess> {
  const script = join(repoRoot(), 'dist', 'test', 'medium', 'support', 'bullmq-worker.js');
  const worker = startProcess(['-r', join(repoRoot(), 'scripts', 'paths.js'), script, redisUrl, prefix, ...extraArgs], {
    env,
  });
  await worker.waitForOutput(/ready/);
  return worker;
}

export interface BullmqFixture {
  /** The suite's redis-server (started in `before`). */
  readonly redis: RedisServer;
  /** A queue on the suite's Redis, closed in `after`. */
  connect(prefix: string, options?: { workers?: string[] }): Promise<BullmqJobQueue>;
  /** Keeps a worker process to stop in `after`. */
  track(worker: ManagedProcess): ManagedProcess;
}

/** Registers `before`/`after` of a describe block: a real redis-server, and the queues and workers to close. */
export function useBullmqFixture(): BullmqFixture {
  let redis: RedisServer | undefined;
  const queues: BullmqJobQueue[] = [];
  const workers: ManagedProcess[] = [];
  before(async () => {
    redis = await RedisServer.start();
  });
  after(async () => {
    await Promise.allSettled(queues.map((q) => q.onModuleDestroy()));
    await Promise.allSettled(workers.map((w) => w.stop()));
    await redis?.stop();
  });
  return {
    get redis(): RedisServer {
      assert.ok(redis, 'redis-server not started yet');
      return redis;
    },
    async connect(prefix, options = {}) {
      const queue = await BullmqJobQueue.connect(this.redis.url, { prefix, ...options });
      queues.push(queue);
      return queue;
    },
    track(worker) {
      workers.push(worker);
      return worker;
    },
  };
}
