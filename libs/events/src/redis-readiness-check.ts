import { Injectable } from '@nestjs/common';
import { ReadinessCheck } from '@lib/core';
import { EventBus } from './event-bus';
import { RedisEventBus } from './redis-event-bus';

/** `/readyz`: Redis answers a PING on the event bus's connection (left out without `REDIS_URL`). */
@Injectable()
export class RedisReadinessCheck extends ReadinessCheck {
  readonly name = 'redis';

  constructor(private readonly bus: EventBus) {
    super();
  }

  override enabled(): boolean {
    return this.bus instanceof RedisEventBus;
  }

  override async check(): Promise<void> {
    if (this.bus instanceof RedisEventBus) {
      await this.bus.ping();
    }
  }
}
