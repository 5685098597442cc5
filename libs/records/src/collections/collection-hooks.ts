import type { CollectionModel } from '@lib/schema';

/** A collection change made through the API, as the collection hooks see it. */
export interface CollectionWrite {
  action: 'create' | 'update' | 'delete';
  /** The stored collection (update, delete). */
  existing: CollectionModel | null;
  /** The request body (create, update). */
  input: Record<string, unknown>;
}

/**
 * The collections API's hook point, implemented by the hooks lib (`onCollectionCreate` …): `write` runs the change
 * through `apply` (with the body the hooks left), or not at all. None by default.
 */
export abstract class CollectionHooks {
  abstract write(
    change: CollectionWrite,
    apply: (input: Record<string, unknown>) => Promise<CollectionModel | null>,
  ): Promise<CollectionModel | null>;
}
