import { Logger } from '@nestjs/common';
import { endSpan, inSpan, SPAN_KIND, startChildSpan, startSpan, tracingOn, type EventMap } from '@lib/core';
import { EventBus, EventHandler } from './event-bus';

/**
 * Delivers events to handlers of the same process, after the current tick; handler errors are logged. Handlers
 * run in the publisher's request context (what they log carries its id); with tracing, in a `receive` span, child
 * of the `publish` one. Both are deferred spans: kept when something beneath is traced (a realtime delivery, SQL)
 * or they last NB_TRACE_MIN_MS, so a subscriber with nothing to do here adds no spans to a write's trace.
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
    const attributes = { 'messaging.destination.name': event };
    const published = tracingOn()
      ? startSpan(`publish ${event}`, SPAN_KIND.producer, attributes, undefined, true)
      : undefined;
    endSpan(published);
    for (const handler of handlers) {
      queueMicrotask(() => {
        const run = () =>
          Promise.resolve((handler as EventHandler<K>)(payload)).catch((error: unknown) => {
            this.logger.error(`handler of ${String(name)} failed: ${String(error)}`);
          });
        const span = published && startChildSpan(published, `receive ${event}`, SPAN_KIND.consumer, attributes, true);
        void (span ? inSpan(span, run) : run());
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
