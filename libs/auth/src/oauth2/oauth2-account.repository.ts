import type { SqlExecutor } from '@lib/database';
import type { CollectionModel } from '@lib/schema';

/** The lookups OAuth2 account matching needs: `_externalAuths` links and auth records by value. */
export abstract class OAuth2AccountRepository {
  /** The `_externalAuths` row of (collection, provider, providerId), if any. */
  abstract findLink(
    collectionId: string,
    provider: string,
    providerId: string,
    db: SqlExecutor,
  ): Promise<{ id: string; recordRef: string } | null>;
  /** Ids of the `_externalAuths` rows of a record. */
  abstract findLinkIds(collectionId: string, recordId: string, db: SqlExecutor): Promise<string[]>;
  /** The id of the record whose email equals `email` (case-insensitively). */
  abstract findIdByEmail(c: CollectionModel, email: string, db: SqlExecutor): Promise<string | null>;
  /** Whether some record already holds `value` in `field`. */
  abstract isTaken(c: CollectionModel, field: string, value: unknown, db: SqlExecutor): Promise<boolean>;
}
