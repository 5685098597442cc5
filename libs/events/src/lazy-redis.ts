import type { Logger } from '@nestjs/common';
import type Redis from 'ioredis';

/**
 * One ioredis client on `url`, opened at its first use (ioredis itself is loaded only then: a process without
 * `REDIS_URL` never pays for it), errors logged, closed once.
 */
export class LazyRedis {
  private redis: Redis | null = null;

  constructor(
    private readonly url: string,
    private readonly logger: Logger,
  ) {}

  client(): Redis {
    if (!this.redis) {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const { default: RedisClient } = require('ioredis') as typeof import('ioredis');
      this.redis = new RedisClient(this.url, { maxRetriesPerRequest: 3, enableReadyCheck: true });
      this.redis.on('error', (error: Error) => this.logger.error(`redis: ${error.message}`));
    }
    return this.redis;
  }

  async close(): Promise<void> {
    const redis = this.redis;
    this.redis = null;
    await redis?.quit().catch(() => redis.disconnect());
  }
}
