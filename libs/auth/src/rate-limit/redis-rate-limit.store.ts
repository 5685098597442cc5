import { createHash } from 'node:crypto';
import { Logger, OnModuleDestroy } from '@nestjs/common';
import { RedisCounter } from '@lib/jobs';
import { InMemoryRateLimitStore } from './in-memory-rate-limit.store';
import { RateLimitStore } from './rate-limit.store';

/**
 * Counters shared by every replica on one Redis server (`REDIS_URL`): the same windows as in memory.
 * Keys are hashed, so a long typed identity can't make a long Redis key. While Redis is down each process
 * counts in memory (limits still hold, per process) instead of failing the requests they guard.
 */
export class RedisRateLimitStore extends RateLimitStore implements OnModuleDestroy {
  private readonly logger = new Logger('RateLimit');
  private readonly fallback = new InMemoryRateLimitStore();
  private degraded = false;

  constructor(private readonly counter: RedisCounter) {
    super();
  }

  static async connect(url: string): Promise<RedisRateLimitStore> {
    return new RedisRateLimitStore(await RedisCounter.connect(url, 'nestbase:ratelimit:'));
  }

  override hit(key: string, durationSeconds: number): Promise<number> {
    return this.either(
      () => this.counter.hit(hashed(key), durationSeconds * 1000),
      () => this.fallback.hit(key, durationSeconds),
    );
  }

  override count(key: string): Promise<number> {
    return this.either(
      () => this.counter.count(hashed(key)),
      () => this.fallback.count(key),
    );
  }

  override reset(key: string): Promise<void> {
    return this.either(
      () => this.counter.reset(hashed(key)),
      () => this.fallback.reset(key),
    );
  }

  async onModuleDestroy(): Promise<void> {
    this.fallback.onModuleDestroy();
    await this.counter.close();
  }

  private async either<T>(shared: () => Promise<T>, local: () => Promise<T>): Promise<T> {
    if (this.counter.ready) {
      try {
        const result = await shared();
        if (this.degraded) {
          this.degraded = false;
          this.logger.log('Redis is back: rate limits are shared again');
        }
        return result;
      } catch (error) {
        this.degrade(error);
      }
    } else {
      this.degrade(new Error('not connected'));
    }
    return local();
  }

  private degrade(error: unknown): void {
    if (!this.degraded) {
      this.degraded = true;
      this.logger.warn(`Redis unavailable (${(error as Error).message}): rate limits count in this process`);
    }
  }
}

function hashed(key: string): string {
  return createHash('sha256').update(key).digest('base64url');
}
