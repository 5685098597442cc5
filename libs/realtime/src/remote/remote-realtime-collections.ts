import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { AppConfig, RecordsServiceClient, waitForDependency } from '@lib/core';
import { EventBus } from '@lib/events';
import { CollectionsRegistry } from '@lib/records';
import type { CollectionModel } from '@lib/schema';
import { RealtimeCollections } from '../realtime-collections';

/** An event of a collection this process doesn't know triggers at most one reload per this interval. */
const UNKNOWN_RELOAD_MS = 1000;

/**
 * The collections loaded from the records service at start and again on every `collection.changed`. The first
 * load waits until the bus delivers `collection.changed` (subscribed by RealtimeDelivery's `onModuleInit`, which
 * runs before any `onApplicationBootstrap`): a change between the load and the subscription would be lost.
 */
@Injectable()
export class RemoteRealtimeCollections extends RealtimeCollections implements OnApplicationBootstrap {
  readonly registry = new CollectionsRegistry();
  private readonly logger = new Logger('RealtimeCollections');
  private loads: Promise<void> = Promise.resolve();
  private lastUnknownReload = 0;

  constructor(
    private readonly records: RecordsServiceClient,
    private readonly bus: EventBus,
    @Inject(AppConfig) private readonly config: AppConfig,
  ) {
    super();
  }

  /**
   * Waits for the bus and the records service (it may start after this process), then loads the collections;
   * a line every few seconds while it waits, and one `Error:` line (exit 1) when it never answers.
   */
  async onApplicationBootstrap(): Promise<void> {
    await this.bus.ready();
    const what = `the records service at ${this.config.records.url} (--records/NB_RECORDS_URL)`;
    const seconds = Math.round(this.config.records.waitMs / 1000);
    await waitForDependency({
      logger: this.logger,
      what,
      waitMs: this.config.records.waitMs,
      attempt: () => this.load(),
      reason: describe,
      failure: (reason) => `cannot load collections from ${what} within ${seconds} s: ${reason}`,
    });
  }

  override async find(idOrName: string): Promise<CollectionModel | undefined> {
    const found = this.registry.findCollection(idOrName);
    if (found || Date.now() - this.lastUnknownReload < UNKNOWN_RELOAD_MS) {
      return found;
    }
    this.lastUnknownReload = Date.now();
    await this.refresh();
    return this.registry.findCollection(idOrName);
  }

  /** Reloads after every change, one load at a time, each starting after the change it answers. */
  override refresh(): Promise<void> {
    this.loads = this.loads.then(
      () => this.load(),
      () => this.load(),
    );
    return this.loads.catch((error: unknown) => this.logger.error(`reloading collections failed: ${String(error)}`));
  }

  /** The whole list at first; then the ids and only the definitions that moved since what this process holds. */
  private async load(): Promise<void> {
    const known = this.registry.allCollections();
    if (known.length > 0) {
      const next = await this.since(known);
      if (next) {
        this.registry.replaceAll(next);
        return;
      }
    }
    const { collections } = await this.records.get<{ collections: CollectionModel[] }>('/api/_internal/collections');
    this.registry.replaceAll(collections);
  }

  /** Null when the answer can't be used as it is (a records service without the route: the whole list then). */
  private async since(known: readonly CollectionModel[]): Promise<CollectionModel[] | null> {
    let answer: { ids?: unknown; changed?: unknown };
    try {
      answer = await this.records.post('/api/_internal/collections/since', {
        known: Object.fromEntries(known.map((c) => [c.id, c.updated])),
      });
    } catch (error) {
      if (/ 404 /.test(String(error))) {
        return null; // an older records service
      }
      throw error;
    }
    if (!Array.isArray(answer?.ids) || !Array.isArray(answer.changed)) {
      return null;
    }
    const fresh = new Map((answer.changed as CollectionModel[]).map((c) => [c.id, c]));
    const held = new Map(known.map((c) => [c.id, c]));
    const next = (answer.ids as string[]).map((id) => fresh.get(id) ?? held.get(id));
    return next.every((c) => c !== undefined) ? next : null;
  }
}

/** `fetch failed` says little: its cause (ECONNREFUSED …) says why. */
function describe(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } })?.cause;
  const text = error instanceof Error ? error.message : String(error);
  return cause?.code ?? cause?.message ?? text;
}
