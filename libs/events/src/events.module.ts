import { Global, Module } from '@nestjs/common';
import { AppConfig } from '@lib/core';
import { EventBus } from './event-bus';
import { InProcessEventBus } from './in-process-event-bus';
import { RedisEventBus } from './redis-event-bus';

/** The event bus: Redis pub/sub when `REDIS_URL` is configured, else in-process. */
@Global()
@Module({
  providers: [
    {
      provide: EventBus,
      inject: [AppConfig],
      useFactory: (config: AppConfig): EventBus | Promise<EventBus> =>
        config.redis?.url ? RedisEventBus.connect(config.redis.url) : new InProcessEventBus(),
    },
  ],
  exports: [EventBus],
})
export class EventsModule {}
