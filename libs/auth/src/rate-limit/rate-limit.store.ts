/**
 * Fixed-window hit counters keyed by string. A window of `durationSeconds` opens with the first hit
 * of a key and closes after it; the next hit opens a new one. In memory by default
 * (`InMemoryRateLimitStore`); a Redis implementation shares the counters between replicas.
 */
export abstract class RateLimitStore {
  /** Adds one hit to `key` and resolves with the number of hits in its current window. */
  abstract hit(key: string, durationSeconds: number): Promise<number>;
  /** The hits of `key`'s current window (0 when it has none or the window closed). */
  abstract count(key: string): Promise<number>;
  /** Forgets `key`. */
  abstract reset(key: string): Promise<void>;
}
