import type { CompiledExpression } from '@lib/query';
import type { RecordRequest } from '@lib/records';
import type { CollectionModel } from '@lib/schema';

/** How a check reads its expression: a rule of the collection, or a subscriber's `filter` option. */
export type AccessExpression = { rule: 'listRule' | 'viewRule' } | { filter: string };

/**
 * Decides the requests the in-memory evaluator could not (a join, or SQLite affinity in play) for one record
 * snapshot, in one batched call: SQL on the shared database, or one request to the records service.
 */
export abstract class JoinedRuleCheck {
  abstract check(
    c: CollectionModel,
    expression: AccessExpression,
    compiled: CompiledExpression,
    record: Record<string, unknown>,
    requests: RecordRequest[],
  ): Promise<boolean[]>;
}
