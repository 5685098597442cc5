import type { Logger } from '@nestjs/common';
import { runChain } from './hook-chain';
import type { HookRegistry } from './hook-registry';
import type { HookData, LifecycleEvent } from './hook-types';

/**
 * Runs the `onTerminate` handlers around `close` (which runs once: also when a handler fails, the failure then
 * logged). `isRestart`: the app starts again afterwards.
 */
export async function terminate(
  hooks: HookRegistry,
  app: HookData,
  isRestart: boolean,
  close: () => Promise<void>,
  log: Logger,
): Promise<void> {
  const handlers = hooks.handlers<LifecycleEvent>('onTerminate');
  let closed = false;
  const once = async () => {
    if (!closed) {
      closed = true;
      await close();
    }
  };
  if (handlers.length === 0) {
    return once();
  }
  const e: LifecycleEvent = { app, isRestart, next: async () => undefined };
  await runChain(handlers, e, once, true).catch(async (error: unknown) => {
    log.error(`onTerminate: ${String(error)}`);
    await once();
  });
}
