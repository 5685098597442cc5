import { Logger, OnModuleDestroy } from '@nestjs/common';
import type Redis from 'ioredis';
import { LazyRedis } from './lazy-redis';
import { SharedStore } from './shared-store';

const PREFIX = 'nestbase:store:';

/** `SET nestbase:store:<key> PX ttl` / `GETDEL` on the shared Redis; the connection opens on first use. */
export class RedisSharedStore extends SharedStore implements OnModuleDestroy {
  private readonly redis: LazyRedis;

  constructor(url: string) {
    super();
    this.redis = new LazyRedis(url, new Logger('RedisSharedStore'));
  }

  override async put(key: string, value: string, ttlMs: number): Promise<void> {
    await this.client().set(PREFIX + key, value, 'PX', Math.max(1, Math.ceil(ttlMs)));
  }

  override async take(key: string): Promise<string | null> {
    return this.client().getdel(PREFIX + key);
  }

  async onModuleDestroy(): Promise<void> {
    await this.redis.close();
  }

  private client(): Redis {
    return this.redis.client();
  }
}
