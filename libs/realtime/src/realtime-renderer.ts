import type { RecordRequest } from '@lib/records';
import type { CollectionModel } from '@lib/schema';

/**
 * The public JSON of an event's record for one requester (hidden fields, email visibility, `expand`): the
 * records lib's presenter on the shared database, or the records service when this process has none.
 */
export abstract class RealtimeRenderer {
  abstract present(
    c: CollectionModel,
    record: Record<string, unknown>,
    req: RecordRequest,
    expand: string,
  ): Promise<Record<string, unknown>>;
}
