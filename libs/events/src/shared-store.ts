/**
 * Short-lived values every process must see (a value put by one process, taken once by another): in-process without
 * Redis, `SET … PX` / `GETDEL` on the shared Redis otherwise. Keys are the caller's (prefixed `nestbase:store:` in Redis).
 */
export abstract class SharedStore {
  abstract put(key: string, value: string, ttlMs: number): Promise<void>;
  /** The value of `key` (then gone), or null when missing or expired. */
  abstract take(key: string): Promise<string | null>;
}

const MAX_ENTRIES = 10_000;

/** One process: a map with expiries, bounded (the oldest entry goes first). */
export class LocalSharedStore extends SharedStore {
  private readonly values = new Map<string, { value: string; until: number }>();

  override async put(key: string, value: string, ttlMs: number): Promise<void> {
    const now = Date.now();
    for (const [k, entry] of this.values) {
      if (entry.until <= now) {
        this.values.delete(k);
      }
    }
    if (this.values.size >= MAX_ENTRIES) {
      this.values.delete(this.values.keys().next().value!);
    }
    this.values.set(key, { value, until: now + ttlMs });
  }

  override async take(key: string): Promise<string | null> {
    const hit = this.values.get(key);
    this.values.delete(key);
    return hit && hit.until > Date.now() ? hit.value : null;
  }
}
