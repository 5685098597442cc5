import type { Provider } from '@nestjs/common';
import { AppConfig, Clock } from '@lib/core';
import { InMemoryRateLimitStore } from './in-memory-rate-limit.store';
import { RateLimitStore } from './rate-limit.store';
import { RedisRateLimitStore } from './redis-rate-limit.store';

/** The rate-limit counters: in Redis when `REDIS_URL` is configured (shared by replicas), else in memory. */
export const RATE_LIMIT_STORE_PROVIDER: Provider = {
  provide: RateLimitStore,
  inject: [AppConfig, Clock],
  useFactory: (config: AppConfig, clock: Clock): RateLimitStore | Promise<RateLimitStore> =>
    config.redis?.url ? RedisRateLimitStore.connect(config.redis.url, clock) : new InMemoryRateLimitStore(clock),
};
