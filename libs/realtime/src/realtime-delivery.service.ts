import { Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { accessLog, NB_METRICS, SPAN_KIND, traced, type HistogramChild, type RecordPayload } from '@lib/core';
import { EventBus } from '@lib/events';
import type { RecordRequest } from '@lib/records';
import type { CollectionModel } from '@lib/schema';
import { RealtimeAccess } from './realtime-access.service';
import type { RealtimeClient } from './realtime-client';
import { RealtimeClients } from './realtime-clients';
import { RealtimeCollections } from './realtime-collections';
import { RealtimeHooks } from './realtime-hooks';
import { RealtimeMessages } from './realtime-messages.service';
import type { Topic } from './topic';

type Action = 'create' | 'update' | 'delete';

interface Entry {
  client: RealtimeClient;
  topic: Topic;
  rule: 'listRule' | 'viewRule';
  req: RecordRequest;
}

const EVENTS = [
  ['record.created', 'create'],
  ['record.updated', 'update'],
  ['record.deleted', 'delete'],
] as const;

const NO_OPTIONS = { query: {}, headers: {} };
const delivered = NB_METRICS.realtimeDelivered.labels();
const dropped = NB_METRICS.realtimeDropped.labels();
const ruleChecks = { rule: NB_METRICS.ruleCheck.labels('rule'), filter: NB_METRICS.ruleCheck.labels('filter') };

/**
 * Delivers committed record events to the subscribers of this instance that may see them (reference §8), one
 * event at a time so each client sees them in commit order. Sending only queues bytes on each connection, so a
 * slow client never holds up the others; the transports drop a client whose queue passes its bound.
 */
@Injectable()
export class RealtimeDelivery implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger('RealtimeDelivery');
  private readonly unsubscribe: (() => void)[] = [];
  private queue: Promise<void> = Promise.resolve();

  constructor(
    private readonly bus: EventBus,
    private readonly clients: RealtimeClients,
    private readonly access: RealtimeAccess,
    private readonly messages: RealtimeMessages,
    private readonly collections: RealtimeCollections,
    private readonly hooks: RealtimeHooks,
  ) {}

  onModuleInit(): void {
    for (const [name, action] of EVENTS) {
      this.unsubscribe.push(
        this.bus.subscribe(name, (payload) => this.enqueue(name, () => this.deliver(action, payload))),
      );
    }
    this.unsubscribe.push(
      this.bus.subscribe('collection.changed', ({ collectionId }) =>
        this.enqueue('collection.changed', () => this.collectionChanged(collectionId)),
      ),
      // a restore replaced every collection at once: reload them all and re-check every client
      this.bus.subscribe('backup.restored', () =>
        this.enqueue('backup.restored', async () => {
          const before = this.collections.registry.allCollections().map((c) => c.id);
          await this.collections.refresh('');
          const after = this.collections.registry.allCollections().map((c) => c.id);
          new Set([...before, ...after]).forEach((id) => this.clients.revalidateCollection(id));
        }),
      ),
    );
  }

  onModuleDestroy(): void {
    this.unsubscribe.forEach((off) => off());
    this.clients.closeAll();
  }

  /** Resolves once every event received so far has been delivered (tests and the benchmark). */
  idle(): Promise<void> {
    return this.queue;
  }

  /**
   * One event to its subscribers, in a `deliver` span; with subscribers for it, one access-log line (`realtime
   * delivery`: event, collection, record, subscriptions matched, messages sent) carrying the causing request's id.
   */
  deliver(action: Action, payload: RecordPayload): Promise<void> {
    if (this.clients.size === 0) {
      // Nobody connected here: nothing to refresh, check or send, nor a span saying so — and no collection lookup
      // (on PostgreSQL a schema-stamp read per event, one after the other, which let the queue grow under writes).
      return Promise.resolve();
    }
    return traced(
      `deliver record.${action}`,
      SPAN_KIND.internal,
      { 'nestbase.collection_id': payload.collectionId },
      () => this.deliverNow(action, payload),
    );
  }

  private async deliverNow(action: Action, payload: RecordPayload): Promise<void> {
    const c = await this.collections.find(payload.collectionId);
    if (!c) {
      return;
    }
    this.clients.refreshAuth(action, c, payload.record);
    const entries = this.entries(c, String(payload.record.id));
    const allowed = await this.checkRules(c, payload.record, entries);
    const render = this.messages.forEvent(c, payload.record);
    const frames = new Map<Record<string, unknown>, Map<string, Buffer | string>>();
    const hooked = this.hooks.onMessage;
    let sentCount = 0;
    for (const entry of allowed) {
      const record = await render(entry.req);
      if (!record) {
        continue;
      }
      const { client, topic } = entry;
      let byTopic = frames.get(record);
      if (!byTopic) {
        byTopic = new Map();
        frames.set(record, byTopic);
      }
      const key = client.kind === 'ws' ? topic.key : '';
      let frame = byTopic.get(key);
      if (!frame) {
        frame = key ? Buffer.from(JSON.stringify({ action, record, topic: key })) : JSON.stringify({ action, record });
        byTopic.set(key, frame);
      }
      const sent = hooked
        ? await this.hooks.send(client, topic.key, frame.toString())
        : client.sendSerialized(topic.key, frame);
      if (sent === true) {
        delivered.inc();
        sentCount++;
      } else if (sent === false) {
        dropped.inc();
      }
    }
    if (entries.length > 0) {
      const fields = {
        event: action,
        collection: c.name,
        recordId: String(payload.record.id),
        matched: entries.length,
      };
      accessLog().info({ ...fields, sent: sentCount }, 'realtime delivery');
    }
  }

  private enqueue(name: string, task: () => Promise<void>): void {
    this.queue = this.queue
      .then(task)
      .catch((error: unknown) => this.logger.error(`delivery of ${name} failed: ${String(error)}`));
  }

  private async timed<T>(histogram: HistogramChild, check: () => Promise<T>): Promise<T> {
    const started = performance.now();
    try {
      return await check();
    } finally {
      histogram.observe((performance.now() - started) / 1000);
    }
  }

  /** A changed or deleted auth collection: clients whose token secret no longer holds become guests. */
  private async collectionChanged(collectionId: string): Promise<void> {
    await this.collections.refresh(collectionId);
    this.clients.revalidateCollection(collectionId);
  }

  private entries(c: CollectionModel, recordId: string): Entry[] {
    const out: Entry[] = [];
    const now = this.clients.now();
    for (const client of this.clients.all()) {
      this.clients.revalidate(client, now);
      if (client.allCollections) {
        const topic: Topic = { key: `${c.name}/*`, collection: c.name, recordId: null, options: NO_OPTIONS };
        out.push({ client, topic, rule: 'listRule', req: realtimeRequest(client, topic) });
      }
      for (const topic of client.matching(c.id, c.name, recordId)) {
        const rule = topic.recordId === null ? 'listRule' : 'viewRule';
        out.push({ client, topic, rule, req: realtimeRequest(client, topic) });
      }
    }
    return out;
  }

  /** The entries whose rule and `filter` option pass, each rule and filter checked in one batch. */
  private async checkRules(c: CollectionModel, record: Record<string, unknown>, entries: Entry[]): Promise<Entry[]> {
    const passed: Entry[] = [];
    for (const rule of ['listRule', 'viewRule'] as const) {
      const group = entries.filter((e) => e.rule === rule);
      if (group.length > 0) {
        const ok = await this.timed(ruleChecks.rule, () =>
          this.access.check(
            c,
            { rule },
            record,
            group.map((e) => e.req),
          ),
        );
        passed.push(...group.filter((_, i) => ok[i]));
      }
    }
    const byFilter = new Map<string, Entry[]>();
    const out: Entry[] = [];
    for (const entry of passed) {
      const filter = entry.req.query.filter;
      if (!filter) {
        out.push(entry);
        continue;
      }
      const group = byFilter.get(filter) ?? [];
      group.push(entry);
      byFilter.set(filter, group);
    }
    for (const [filter, group] of byFilter) {
      const ok = await this.timed(ruleChecks.filter, () =>
        this.access.check(
          c,
          { filter },
          record,
          group.map((e) => e.req),
        ),
      );
      out.push(...group.filter((_, i) => ok[i]));
    }
    return out;
  }
}

function realtimeRequest(client: RealtimeClient, topic: Topic): RecordRequest {
  return {
    auth: client.auth,
    query: topic.options.query,
    headers: topic.options.headers,
    method: 'GET',
    context: 'realtime',
  };
}
