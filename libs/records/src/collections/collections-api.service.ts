import { Inject, Injectable, Optional } from '@nestjs/common';
import type { CollectionModel } from '@lib/schema';
import { CollectionChanges } from './collection-changes';
import { CollectionsRegistry } from './collections.registry';
import { CollectionsService } from './collections.service';

/**
 * The collections API's writes: CollectionsService's, each reported to `CollectionChanges` (when one is bound)
 * with the collections before and after it. Migrations change collections through CollectionsService directly,
 * so what they do is never reported back.
 */
@Injectable()
export class CollectionsApiService {
  constructor(
    private readonly collections: CollectionsService,
    private readonly registry: CollectionsRegistry,
    @Optional() @Inject(CollectionChanges) private readonly changes: CollectionChanges | null = null,
  ) {}

  create(input: unknown): Promise<CollectionModel> {
    return this.reported(() => this.collections.create(input));
  }

  update(idOrName: string, input: unknown): Promise<CollectionModel> {
    return this.reported(() => this.collections.update(idOrName, input));
  }

  delete(idOrName: string): Promise<void> {
    return this.reported(() => this.collections.delete(idOrName));
  }

  import(input: unknown): Promise<void> {
    return this.reported(() => this.collections.import(input));
  }

  /** The registry is current when a request reaches here (the auth guard refreshed it) and after the change. */
  private async reported<T>(change: () => Promise<T>): Promise<T> {
    if (!this.changes) {
      return change();
    }
    const before = structuredClone(this.registry.allCollections());
    const result = await change();
    await this.changes.committed(before, structuredClone(this.registry.allCollections()));
    return result;
  }
}
