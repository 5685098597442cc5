import { createHash } from 'node:crypto';
import { OnModuleDestroy } from '@nestjs/common';
import { RedisCounter } from '@lib/jobs';
import { RateLimitStore } from './rate-limit.store';

/**
 * Counters shared by every replica on one Redis server (`REDIS_URL`): the same windows as in memory.
 * Keys are hashed, so a long typed identity can't make a long Redis key.
 */
export class RedisRateLimitStore extends RateLimitStore implements OnModuleDestroy {
  constructor(private readonly counter: RedisCounter) {
    super();
  }

  static async connect(url: string): Promise<RedisRateLimitStore> {
    return new RedisRateLimitStore(await RedisCounter.connect(url, 'nestbase:ratelimit:'));
  }

  override hit(key: string, durationSeconds: number): Promise<number> {
    return this.counter.hit(hashed(key), durationSeconds * 1000);
  }

  override count(key: string): Promise<number> {
    return this.counter.count(hashed(key));
  }

  override reset(key: string): Promise<void> {
    return this.counter.reset(hashed(key));
  }

  async onModuleDestroy(): Promise<void> {
    await this.counter.close();
  }
}

function hashed(key: string): string {
  return createHash('sha256').update(key).digest('base64url');
}
