import type { SqlExecutor } from '@lib/database';
import type { CollectionModel } from '@lib/schema';

/** Stored collection definitions (the `_collections` system table). */
export abstract class CollectionRepository {
  abstract findAll(db?: SqlExecutor): Promise<CollectionModel[]>;
  /**
   * `findAll`, reading and parsing only the definitions whose `updated` differs from `known`'s (every change stamps
   * it): the rest are `known`'s objects. A schema change elsewhere made each process parse every definition again.
   */
  abstract findAllSince(known: readonly CollectionModel[], db?: SqlExecutor): Promise<CollectionModel[]>;
  abstract insert(collection: CollectionModel, db: SqlExecutor): Promise<void>;
  abstract update(collection: CollectionModel, db: SqlExecutor): Promise<void>;
  abstract delete(id: string, db: SqlExecutor): Promise<void>;
}
