import type { CollectionModel } from '@lib/schema';

/**
 * Decides a compiled rule fragment (on alias `r`) for one record snapshot and several parameter sets in one
 * query. The snapshot is the event's record, so a deleted record is checked as it was before the delete.
 */
export abstract class RuleCheckRepository {
  abstract matches(
    collection: CollectionModel,
    record: Record<string, unknown>,
    sql: string,
    paramSets: unknown[][],
  ): Promise<boolean[]>;
}
