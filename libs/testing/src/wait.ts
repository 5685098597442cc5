// Condition-based waits: every wait ends as soon as its condition holds; the ceiling only catches a hang.
import { setTimeout as delay } from 'node:timers/promises';

import { WAIT_CEILING_MS } from './ceilings';

/** How often a condition is polled: short enough not to slow a test, long enough not to load the machine. */
export const POLL_MS = 25;

/**
 * Polls `check` (sync or async) until it returns a truthy value and returns that value; throws naming `what`
 * (and the last error `check` threw) once `ceilingMs` passed.
 */
export async function waitFor<T>(
  check: () => T | Promise<T>,
  what: string,
  ceilingMs = WAIT_CEILING_MS,
): Promise<NonNullable<T>> {
  const deadline = Date.now() + ceilingMs;
  let last = '';
  for (;;) {
    try {
      const value = await check();
      if (value) {
        return value;
      }
    } catch (err) {
      last = err instanceof Error ? err.message : String(err);
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${ceilingMs} ms waiting for ${what}${last ? ` (last error: ${last})` : ''}`);
    }
    await delay(POLL_MS);
  }
}
