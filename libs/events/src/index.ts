export { EventBus } from './event-bus';
export type { EventHandler } from './event-bus';
export { InProcessEventBus } from './in-process-event-bus';
export { RedisEventBus } from './redis-event-bus';
export { EventsModule } from './events.module';
export { TickLock, LocalTickLock } from './tick-lock';
export { RedisTickLock } from './redis-tick-lock';
export { RedisReadinessCheck } from './redis-readiness-check';
