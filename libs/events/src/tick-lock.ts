/**
 * Claims a unit of work (one tick of a scheduled job) for one process: `acquire` resolves true for
 * exactly one caller per key until the key expires. In-process: every key is granted (one process runs
 * the schedule); Redis: `SET key NX PX ttl` across every process sharing the server.
 */
export abstract class TickLock {
  abstract acquire(key: string, ttlMs: number): Promise<boolean>;
}

/** One process: the key is granted once per process (a timer firing twice for one tick still runs once). */
export class LocalTickLock extends TickLock {
  private readonly held = new Map<string, number>();

  override async acquire(key: string, ttlMs: number): Promise<boolean> {
    const now = Date.now();
    for (const [k, until] of this.held) {
      if (until <= now) {
        this.held.delete(k);
      }
    }
    if (this.held.has(key)) {
      return false;
    }
    this.held.set(key, now + ttlMs);
    return true;
  }
}
