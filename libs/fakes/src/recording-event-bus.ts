// An EventBus for unit specs: delivers like the in-process bus (after the current tick) and keeps every
// publication in a journal shared with FakeTransactions, so a spec can assert an event followed the commit.
import type { EventMap } from '@lib/core';
import { EventBus, InProcessEventBus, type EventHandler } from '@lib/events';

export class RecordingEventBus extends EventBus {
  private readonly inner = new InProcessEventBus();
  /** What was published, in order. */
  readonly published: { name: keyof EventMap; payload: unknown }[] = [];

  /** `journal`: a list other fakes append to (`begin`, `commit` …); publications add `publish <name>`. */
  constructor(readonly journal: string[] = []) {
    super();
  }

  override publish<K extends keyof EventMap>(name: K, payload: EventMap[K]): void {
    this.published.push({ name, payload });
    this.journal.push(`publish ${name}`);
    this.inner.publish(name, payload);
  }

  override subscribe<K extends keyof EventMap>(name: K, handler: EventHandler<K>): () => void {
    return this.inner.subscribe(name, handler);
  }

  /** The names published so far. */
  names(): (keyof EventMap)[] {
    return this.published.map((p) => p.name);
  }
}
