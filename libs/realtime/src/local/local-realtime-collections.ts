import { Injectable, Optional } from '@nestjs/common';
import { CollectionsRegistry, StoreSync } from '@lib/records';
import type { CollectionModel } from '@lib/schema';
import { RealtimeCollections } from '../realtime-collections';

/** The collections of the shared database, with the registry brought up to date with other processes first. */
@Injectable()
export class LocalRealtimeCollections extends RealtimeCollections {
  constructor(
    readonly registry: CollectionsRegistry,
    @Optional() private readonly sync?: StoreSync,
  ) {
    super();
  }

  override async find(idOrName: string): Promise<CollectionModel | undefined> {
    await this.sync?.ensureFresh();
    return this.registry.findCollection(idOrName);
  }

  override async refresh(): Promise<void> {
    await this.sync?.ensureFresh();
  }
}
