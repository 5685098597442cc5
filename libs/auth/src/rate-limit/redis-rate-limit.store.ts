import { createHash } from 'node:crypto';
import { Logger, OnModuleDestroy } from '@nestjs/common';
import { Clock, SYSTEM_CLOCK } from '@lib/core';
import { RedisCounter } from '@lib/jobs';
import { InMemoryRateLimitStore } from './in-memory-rate-limit.store';
import { RateLimitStore } from './rate-limit.store';

/**
 * Counters shared by every replica on one Redis server (`REDIS_URL`): the same windows as in memory.
 * Keys are hashed, so a long typed identity can't make a long Redis key. While Redis is down each process
 * counts in memory (limits still hold, per process) instead of failing the requests they guard. Windows end
 * on the injected clock (a test moves it instead of waiting a window out).
 */
export class RedisRateLimitStore extends RateLimitStore implements OnModuleDestroy {
  private readonly logger = new Logger('RateLimit');
  private readonly fallback: InMemoryRateLimitStore;
  private degraded = false;

  constructor(
    private readonly counter: RedisCounter,
    private readonly clock: Clock = SYSTEM_CLOCK,
  ) {
    super();
    this.fallback = new InMemoryRateLimitStore(clock);
  }

  static async connect(url: string, clock: Clock = SYSTEM_CLOCK): Promise<RedisRateLimitStore> {
    return new RedisRateLimitStore(await RedisCounter.connect(url, 'nestbase:ratelimit:'), clock);
  }

  override hit(key: string, durationSeconds: number): Promise<number> {
    return this.either(
      () => this.counter.hitAt(hashed(key), durationSeconds * 1000, this.clock.now()),
      () => this.fallback.hit(key, durationSeconds),
    );
  }

  override count(key: string): Promise<number> {
    return this.either(
      () => this.counter.countAt(hashed(key), this.clock.now()),
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
