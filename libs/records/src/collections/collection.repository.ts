import type { SqlExecutor } from '@lib/database';
import type { CollectionModel } from '@lib/schema';

/** Stored collection definitions (the `_collections` system table). */
export abstract class CollectionRepository {
  abstract findAll(db?: SqlExecutor): Promise<CollectionModel[]>;
  abstract insert(collection: CollectionModel, db: SqlExecutor): Promise<void>;
  abstract update(collection: CollectionModel, db: SqlExecutor): Promise<void>;
  abstract delete(id: string, db: SqlExecutor): Promise<void>;
}
