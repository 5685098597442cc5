import type { CollectionModel } from '@lib/schema';

/**
 * Told of each collection change made through the API (create, update, delete, import) once it is committed,
 * with every collection before and after it. The hooks lib's automigrate implements it; none by default.
 */
export abstract class CollectionChanges {
  abstract committed(before: readonly CollectionModel[], after: readonly CollectionModel[]): Promise<void>;
}
