import { Logger, OnModuleDestroy } from '@nestjs/common';
import type Redis from 'ioredis';
import { TickLock } from './tick-lock';

const PREFIX = 'nestbase:lock:';

/**
 * `SET nestbase:lock:<key> <owner> NX PX <ttl>` on a shared Redis: one process wins each key. ioredis is
 * loaded only when this lock is created (`REDIS_URL` set); the connection opens on first use.
 */
export class RedisTickLock extends TickLock implements OnModuleDestroy {
  private readonly logger = new Logger('RedisTickLock');
  private readonly owner = `${process.pid}-${Math.random().toString(36).slice(2)}`;
  private redis: Redis | null = null;

  constructor(private readonly url: string) {
    super();
  }

  override async acquire(key: string, ttlMs: number): Promise<boolean> {
    const reply = await this.client().set(PREFIX + key, this.owner, 'PX', Math.max(1, Math.ceil(ttlMs)), 'NX');
    return reply === 'OK';
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
