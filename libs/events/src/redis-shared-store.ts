import { Logger, OnModuleDestroy } from '@nestjs/common';
import type Redis from 'ioredis';
import { SharedStore } from './shared-store';

const PREFIX = 'nestbase:store:';

/** `SET nestbase:store:<key> PX ttl` / `GETDEL` on the shared Redis; the connection opens on first use. */
export class RedisSharedStore extends SharedStore implements OnModuleDestroy {
  private readonly logger = new Logger('RedisSharedStore');
  private redis: Redis | null = null;

  constructor(private readonly url: string) {
    super();
  }

  override async put(key: string, value: string, ttlMs: number): Promise<void> {
    await this.client().set(PREFIX + key, value, 'PX', Math.max(1, Math.ceil(ttlMs)));
  }

  override async take(key: string): Promise<string | null> {
    return this.client().getdel(PREFIX + key);
  }

  async onModuleDestroy(): Promise<void> {
    const redis = this.redis;
    this.redis = null;
    await redis?.quit().catch(() => redis.disconnect());
  }

  private client(): Redis {
    if (!this.redis) {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const { default: RedisClient } = require('ioredis') as typeof import('ioredis');
      this.redis = new RedisClient(this.url, { maxRetriesPerRequest: 3, enableReadyCheck: true });
      this.redis.on('error', (error: Error) => this.logger.error(`redis: ${error.message}`));
    }
    return this.redis;
  }
}
