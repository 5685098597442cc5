// A write burst cut by a crash, for the fault tests that SIGKILL a process under load: concurrent writers write
// until the kill; each writer's first failed write after it ends that writer. What was acknowledged (2xx) is
// kept for the caller to find again after the restart; every other outcome is counted by kind (an HTTP status,
// or the network error of a connection the dead process dropped or refused), so nothing goes unaccounted.
import { inspect } from 'node:util';

import { waitUntil } from './realtime-helpers';

/** One write: the acknowledged value, or why it failed (an HTTP status). */
export type WriteOutcome<T> = { ok: true; value: T } | { ok: false; status: number };

export interface BurstResult<T> {
  acknowledged: T[];
  /** Failed writes by kind: `"503"`, or `"network"` for a request that got no answer at all. */
  failures: Map<string, number>;
}

export interface BurstOptions<T> {
  writers: number;
  /** The kill comes once this many writes were acknowledged. */
  acknowledgedBeforeKill: number;
  write: (writer: number, i: number) => Promise<WriteOutcome<T>>;
  kill: () => Promise<void>;
  ceilingMs: number;
  /**
   * Each writer ends with its write in flight at the kill, failed or not (a set with a live replica takes every
   * later write: without it the writers would never end).
   */
  endAtKill?: boolean;
}

function networkKind(error: unknown): string {
  // the client's error wraps fetch's, which wraps the socket's (ECONNRESET, ECONNREFUSED, UND_ERR_SOCKET, …)
  for (let e: unknown = error, depth = 0; e instanceof Error && depth < 4; e = e.cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string') {
      return `network ${code}`;
    }
  }
  return `network ${inspect(error, { breakLength: Infinity }).slice(0, 80)}`;
}

export async function burstThenKill<T>(options: BurstOptions<T>): Promise<BurstResult<T>> {
  const acknowledged: T[] = [];
  const failures = new Map<string, number>();
  let killed = false;
  let abandoned = false;
  const fail = (kind: string) => failures.set(kind, (failures.get(kind) ?? 0) + 1);
  const writer = async (w: number) => {
    for (let i = 0; !abandoned; i++) {
      let outcome: WriteOutcome<T>;
      try {
        outcome = await options.write(w, i);
      } catch (error) {
        fail(networkKind(error));
        if (killed) {
          return;
        }
        continue;
      }
      if (outcome.ok) {
        acknowledged.push(outcome.value);
        if (killed && options.endAtKill) {
          return;
        }
        continue;
      }
      fail(String(outcome.status));
      if (killed) {
        return;
      }
    }
  };
  const writers = Array.from({ length: options.writers }, (_, w) => writer(w));
  try {
    await waitUntil(
      () => acknowledged.length >= options.acknowledgedBeforeKill,
      `${options.acknowledgedBeforeKill} acknowledged writes`,
      options.ceilingMs,
    );
  } catch (error) {
    abandoned = true;
    await Promise.all(writers);
    throw new Error(`${String(error)}; failed writes so far: ${inspect(failures)}`, { cause: error });
  }
  killed = true;
  await options.kill();
  await Promise.all(writers);
  return { acknowledged, failures };
}
