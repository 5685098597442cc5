import { Inject, Injectable, Optional } from '@nestjs/common';
import { fireHook, HookPoints } from '@lib/core';
import type { CollectionModel } from '@lib/schema';
import { CollectionChanges } from './collection-changes';
import { CollectionHooks, type CollectionWrite } from './collection-hooks';
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
    @Optional() @Inject(CollectionHooks) private readonly hooks: CollectionHooks | null = null,
    @Optional() @Inject(HookPoints) private readonly points: HookPoints | null = null,
  ) {}

  create(input: unknown): Promise<CollectionModel> {
    return this.reported(() =>
      this.hooked({ action: 'create', existing: null, input: body(input) }, input, (i: unknown) =>
        this.collections.create(i),
      ),
    ) as Promise<CollectionModel>;
  }

  update(idOrName: string, input: unknown): Promise<CollectionModel> {
    const existing = this.collections.get(idOrName);
    return this.reported(() =>
      this.hooked({ action: 'update', existing, input: body(input) }, input, (i: unknown) =>
        this.collections.update(existing.id, i),
      ),
    ) as Promise<CollectionModel>;
  }

  async delete(idOrName: string): Promise<void> {
    const existing = this.collections.get(idOrName);
    await this.reported(() =>
      this.hooked({ action: 'delete', existing, input: {} }, {}, async () => {
        await this.collections.delete(existing.id);
        return null;
      }),
    );
  }

  /** The change through the collection hooks, when there are any (else with the request body as it came). */
  private hooked(
    change: CollectionWrite,
    raw: unknown,
    apply: (input: unknown) => Promise<CollectionModel | null>,
  ): Promise<CollectionModel | null> {
    return this.hooks ? this.hooks.write(change, apply) : apply(raw);
  }

  /** `onCollectionsImportRequest`: `e.collectionsData`, `e.deleteMissing` (changeable) of a valid import body. */
  import(input: unknown): Promise<void> {
    const { collections, deleteMissing } = body(input);
    if (!Array.isArray(collections) || collections.length === 0) {
      return this.collections.import(input); // refused with PocketBase's validation error
    }
    const event = { collectionsData: collections as unknown[], deleteMissing: deleteMissing === true };
    return this.reported(() =>
      fireHook(this.points, 'onCollectionsImportRequest', event, (e) =>
        this.collections.import({ collections: e.collectionsData, deleteMissing: e.deleteMissing }),
      ),
    );
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

function body(input: unknown): Record<string, unknown> {
  return input && typeof input === 'object' && !Array.isArray(input) ? (input as Record<string, unknown>) : {};
}
