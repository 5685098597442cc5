import { Logger } from '@nestjs/common';
import type { EventMap } from '@lib/core';
import { EventBus, EventHandler } from './event-bus';

/** Delivers events to handlers of the same process, after the current tick; handler errors are logged. */
export class InProcessEventBus extends EventBus {
  private readonly handlers = new Map<keyof EventMap, Set<EventHandler<never>>>();
  private readonly logger = new Logger('EventBus');

  override publish<K extends keyof EventMap>(name: K, payload: EventMap[K]): void {
    const handlers = this.handlers.get(name);
    if (!handlers || handlers.size === 0) {
      return;
    }
    for (const handler of handlers) {
      queueMicrotask(() => {
        Promise.resolve((handler as EventHandler<K>)(payload)).catch((error: unknown) => {
          this.logger.error(`handler of ${String(name)} failed: ${String(error)}`);
        });
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
