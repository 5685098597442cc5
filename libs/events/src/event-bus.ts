import type { EventMap } from '@lib/core';

export type EventHandler<K extends keyof EventMap> = (payload: EventMap[K]) => void | Promise<void>;

/** Publishes events to every subscriber; implementations: in-process now, Redis pub/sub later. */
export abstract class EventBus {
  abstract publish<K extends keyof EventMap>(name: K, payload: EventMap[K]): void;
  abstract subscribe<K extends keyof EventMap>(name: K, handler: EventHandler<K>): () => void;

  /**
   * Resolves once every subscription made so far receives publications. A copy loaded from elsewhere and kept
   * fresh by events loads after this, so no change falls between its load and its first event.
   */
  ready(): Promise<void> {
    return Promise.resolve();
  }
}
