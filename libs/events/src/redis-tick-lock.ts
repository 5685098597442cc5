import { Logger, OnModuleDestroy } from '@nestjs/common';
import type Redis from 'ioredis';
import { LazyRedis } from './lazy-redis';
import { TickLock } from './tick-lock';

const PREFIX = 'nestbase:lock:';

/**
 * `SET nestbase:lock:<key> <owner> NX PX <ttl>` on a shared Redis: one process wins each key. ioredis is
 * loaded only when this lock is created (`REDIS_URL` set); the connection opens on first use.
 */
export class RedisTickLock extends TickLock implements OnModuleDestroy {
  private readonly owner = `${process.pid}-${Math.random().toString(36).slice(2)}`;

  private readonly redis: LazyRedis;

  constructor(url: string) {
    super();
    this.redis = new LazyRedis(url, new Logger('RedisTickLock'));
  }

  override async acquire(key: string, ttlMs: number): Promise<boolean> {
    const reply = await this.client().set(PREFIX + key, this.owner, 'PX', Math.max(1, Math.ceil(ttlMs)), 'NX');
    return reply === 'OK';
  }

  async onModuleDestroy(): Promise<void> {
    await this.redis.close();
  }

  private client(): Redis {
    return this.redis.client();
  }
}
