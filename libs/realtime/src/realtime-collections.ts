import { Injectable, Optional } from '@nestjs/common';
import { CollectionsRegistry, StoreSync } from '@lib/records';
import type { CollectionModel } from '@lib/schema';

/** The collection of an event, with the registry brought up to date with other processes first. */
@Injectable()
export class RealtimeCollections {
  constructor(
    readonly registry: CollectionsRegistry,
    @Optional() private readonly sync?: StoreSync,
  ) {}

  async find(idOrName: string): Promise<CollectionModel | undefined> {
    await this.sync?.ensureFresh();
    return this.registry.findCollection(idOrName);
  }
}
