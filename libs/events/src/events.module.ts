import { Global, Module } from '@nestjs/common';
import { AppConfig } from '@lib/core';
import { EventBus } from './event-bus';
import { InProcessEventBus } from './in-process-event-bus';
import { RedisEventBus } from './redis-event-bus';
import { RedisTickLock } from './redis-tick-lock';
import { LocalTickLock, TickLock } from './tick-lock';
import { RedisSharedStore } from './redis-shared-store';
import { LocalSharedStore, SharedStore } from './shared-store';

/**
 * The event bus (Redis pub/sub when `REDIS_URL` is configured, else in-process) and the matching TickLock and
 * SharedStore.
 */
@Global()
@Module({
  providers: [
    {
      provide: EventBus,
      inject: [AppConfig],
      useFactory: (config: AppConfig): EventBus | Promise<EventBus> =>
        config.redis?.url ? RedisEventBus.connect(config.redis.url) : new InProcessEventBus(),
    },
    {
      provide: TickLock,
      inject: [AppConfig],
      useFactory: (config: AppConfig): TickLock =>
        config.redis?.url ? new RedisTickLock(config.redis.url) : new LocalTickLock(),
    },
    {
      provide: SharedStore,
      inject: [AppConfig],
      useFactory: (config: AppConfig): SharedStore =>
        config.redis?.url ? new RedisSharedStore(config.redis.url) : new LocalSharedStore(),
    },
  ],
  exports: [EventBus, TickLock, SharedStore],
})
export class EventsModule {}
