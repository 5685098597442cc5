import { Logger, OnModuleDestroy } from '@nestjs/common';
import { captureContext, joinCarrier, runFromCarrier, splitCarrier, type EventMap } from '@lib/core';
import type Redis from 'ioredis';
import { EventBus, EventHandler } from './event-bus';

const PREFIX = 'nestbase:';

/**
 * Redis pub/sub: every process subscribed to an event name receives every publication, its own included
 * (so a publisher's local handlers run once, from Redis). Payloads travel as JSON, after a `@{…}` line with
 * the publishing request's id and trace context when there is one (handlers run in that context, so what they
 * log carries the request id). ioredis is loaded only when this bus is created (`REDIS_URL` set).
 */
export class RedisEventBus extends EventBus implements OnModuleDestroy {
  private readonly handlers = new Map<string, Set<EventHandler<never>>>();
  /** SUBSCRIBE commands not yet answered by Redis. */
  private readonly subscribing = new Set<Promise<unknown>>();
  private readonly logger = new Logger('RedisEventBus');

  private constructor(
    private readonly pub: Redis,
    private readonly sub: Redis,
  ) {
    super();
    sub.on('message', (channel: string, message: string) => this.dispatch(channel, message));
    for (const conn of [pub, sub]) {
      conn.on('error', (error: Error) => this.logger.error(`redis: ${error.message}`));
    }
  }

  /** Connects the publishing and the subscribing connection; resolves once both are ready. */
  static async connect(url: string): Promise<RedisEventBus> {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { default: RedisClient } = require('ioredis') as typeof import('ioredis');
    const options = { maxRetriesPerRequest: null, enableReadyCheck: true };
    const pub = new RedisClient(url, options);
    const sub = new RedisClient(url, options);
    await Promise.all([pub, sub].map((c) => new Promise<void>((resolve) => c.once('ready', () => resolve()))));
    return new RedisEventBus(pub, sub);
  }

  override publish<K extends keyof EventMap>(name: K, payload: EventMap[K]): void {
    const carrier = captureContext(`publish ${String(name)}`, { 'messaging.destination.name': String(name) });
    this.pub.publish(PREFIX + String(name), joinCarrier(carrier, JSON.stringify(payload))).catch((error: unknown) => {
      this.logger.error(`publish ${String(name)} failed: ${String(error)}`);
    });
  }

  override subscribe<K extends keyof EventMap>(name: K, handler: EventHandler<K>): () => void {
    const channel = PREFIX + String(name);
    let set = this.handlers.get(channel);
    if (!set) {
      set = new Set();
      this.handlers.set(channel, set);
      const done = this.sub
        .subscribe(channel)
        .catch((error: unknown) => this.logger.error(`subscribe ${channel} failed: ${String(error)}`))
        .finally(() => this.subscribing.delete(done));
      this.subscribing.add(done);
    }
    set.add(handler);
    return () => set.delete(handler);
  }

  override async ready(): Promise<void> {
    await Promise.all([...this.subscribing]);
  }

  /** Resolves when Redis answers a PING on the publishing connection; rejects at once while it is disconnected. */
  async ping(): Promise<void> {
    if (this.pub.status !== 'ready') {
      throw new Error(`redis connection ${this.pub.status}`);
    }
    await this.pub.ping();
  }

  async onModuleDestroy(): Promise<void> {
    await Promise.allSettled([this.sub.quit(), this.pub.quit()]);
  }

  private dispatch(channel: string, message: string): void {
    const handlers = this.handlers.get(channel);
    if (!handlers || handlers.size === 0) {
      return;
    }
    const { carrier, body } = splitCarrier(message);
    let payload: unknown;
    try {
      payload = JSON.parse(body);
    } catch {
      this.logger.warn(`dropped a malformed message on ${channel}`);
      return;
    }
    const name = channel.slice(PREFIX.length);
    runFromCarrier(carrier, `receive ${name}`, { 'messaging.destination.name': name }, () => {
      for (const handler of handlers) {
        Promise.resolve((handler as (p: unknown) => void | Promise<void>)(payload)).catch((error: unknown) => {
          this.logger.error(`handler of ${channel} failed: ${String(error)}`);
        });
      }
    });
  }
}
