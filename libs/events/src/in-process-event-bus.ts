import { Logger } from '@nestjs/common';
import { captureContext, runFromCarrier, tracingOn, type EventMap } from '@lib/core';
import { EventBus, EventHandler } from './event-bus';

/**
 * Delivers events to handlers of the same process, after the current tick; handler errors are logged. Handlers
 * run in the publisher's request context (what they log carries its id); with tracing, in a `receive` span.
 */
export class InProcessEventBus extends EventBus {
  private readonly handlers = new Map<keyof EventMap, Set<EventHandler<never>>>();
  private readonly logger = new Logger('EventBus');

  override publish<K extends keyof EventMap>(name: K, payload: EventMap[K]): void {
    const handlers = this.handlers.get(name);
    if (!handlers || handlers.size === 0) {
      return;
    }
    const event = String(name);
    const carrier = tracingOn()
      ? captureContext(`publish ${event}`, { 'messaging.destination.name': event })
      : undefined;
    for (const handler of handlers) {
      queueMicrotask(() => {
        void runFromCarrier(carrier, `receive ${event}`, { 'messaging.destination.name': event }, () =>
          Promise.resolve((handler as EventHandler<K>)(payload)).catch((error: unknown) => {
            this.logger.error(`handler of ${String(name)} failed: ${String(error)}`);
          }),
        );
      });
    }
  }

  override subscribe<K extends keyof EventMap>(name: K, handler: EventHandler<K>): () => void {
    let set = this.handlers.get(name);
    if (!set) {
      set = new Set();
      this.handlers.set(name, set);
    }
    set.add(handler);
    return () => set.delete(handler);
  }
}
