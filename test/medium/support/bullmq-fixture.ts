// Shared by the BullMQ medium tests: worker processes (support/bullmq-worker.ts) and bounded waits.
import assert from 'node:assert/strict';
import { join } from 'node:path';

import { ManagedProcess, repoRoot, startProcess } from '@lib/testing';

/** Polls `check` every 20 ms; fails after `timeoutMs` naming `what`. */
export async function waitFor(check: () => boolean, what: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
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
