import { Logger } from '@nestjs/common';
import type Redis from 'ioredis';

/** INCR, and start the window's expiry when the key is new (or lost its expiry): one atomic step. */
const HIT_SCRIPT = `
local n = redis.call('INCR', KEYS[1])
if n == 1 or redis.call('PTTL', KEYS[1]) < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
end
return n`;

/**
 * As HIT_SCRIPT, the window's end kept beside the count as a time of the caller's clock (ARGV[2]): the window
 * closes when that clock passes it (a test clock moved forward too); Redis's expiry only removes the key.
 */
const HIT_AT_SCRIPT = `
local now = tonumber(ARGV[2])
if tonumber(redis.call('HGET', KEYS[1], 'e') or '0') <= now then
  redis.call('HSET', KEYS[1], 'c', 1, 'e', now + tonumber(ARGV[1]))
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
  return 1
end
return redis.call('HINCRBY', KEYS[1], 'c', 1)`;

/**
 * Fixed-window counters in Redis, shared by every process on the same server: `hit` adds one and
 * returns the window's count, the window (its TTL) opening with the first hit. Keys are prefixed
 * (`nestbase:counter:` by default). ioredis is loaded only when a counter is connected.
 */
export class RedisCounter {
  private readonly logger = new Logger('RedisCounter');

  private constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {
    redis.on('error', (error: Error) => this.logger.error(`redis: ${error.message}`));
  }

  /** Connects and resolves once Redis is ready (rejects after `timeoutMs`). */
  static async connect(url: string, prefix = 'nestbase:counter:', timeoutMs = 10_000): Promise<RedisCounter> {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { default: RedisClient } = require('ioredis') as typeof import('ioredis');
    const redis = new RedisClient(url, { maxRetriesPerRequest: 3, enableReadyCheck: true });
    let timer: NodeJS.Timeout | undefined;
    try {
      await new Promise<void>((resolve, reject) => {
        timer = setTimeout(() => reject(new Error(`Redis at ${url} not ready within ${timeoutMs} ms`)), timeoutMs);
        redis.once('ready', () => resolve());
      });
    } catch (error) {
      redis.disconnect();
      throw error;
    } finally {
      clearTimeout(timer);
    }
    return new RedisCounter(redis, prefix);
  }

  /** Connected and answering: while false (Redis down, reconnecting) callers use their fallback at once. */
  get ready(): boolean {
    return this.redis.status === 'ready';
  }

  /** Adds one to `key` and returns its count in the current window of `windowMs`. */
  async hit(key: string, windowMs: number): Promise<number> {
    const n = await this.redis.eval(HIT_SCRIPT, 1, this.prefix + key, String(Math.max(1, Math.ceil(windowMs))));
    return Number(n);
  }

  /** The count of `key`'s current window (0 when none). */
  async count(key: string): Promise<number> {
    return Number((await this.redis.get(this.prefix + key)) ?? 0);
  }

  /** `hit` on the caller's clock: the window (of `windowMs`) ends at `nowMs + windowMs` of that clock. */
  async hitAt(key: string, windowMs: number, nowMs: number): Promise<number> {
    const ms = String(Math.max(1, Math.ceil(windowMs)));
    return Number(await this.redis.eval(HIT_AT_SCRIPT, 1, this.prefix + key, ms, String(nowMs)));
  }

  /** The count of a `hitAt` window that is still open at `nowMs` (0 when none). */
  async countAt(key: string, nowMs: number): Promise<number> {
    const [count, ends] = await this.redis.hmget(this.prefix + key, 'c', 'e');
    return Number(ends ?? 0) > nowMs ? Number(count ?? 0) : 0;
  }

  async reset(key: string): Promise<void> {
    await this.redis.del(this.prefix + key);
  }

  async close(): Promise<void> {
    await this.redis.quit().catch(() => this.redis.disconnect());
  }
}
