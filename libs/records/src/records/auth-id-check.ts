import { fieldError, ValidationFailed } from '@lib/core';
import type { SqlExecutor } from '@lib/database';
import type { CollectionModel } from '@lib/schema';
import type { RecordRepository } from './record.repository';

/**
 * An auth record's id must be unique across every auth collection (PocketBase's `validation_invalid_auth_id`):
 * rules such as `owner = @request.auth.id` compare ids alone, so a sign-up that took the id of a record in another
 * auth collection (a superuser's, say) would act as that record. Checked on every save of an auth record, inside
 * the write transaction, like PocketBase's own save; the record's own table is left to its primary key.
 */
export async function assertAuthIdFree(
  repository: RecordRepository,
  all: readonly CollectionModel[],
  c: CollectionModel,
  id: string,
  tx: SqlExecutor,
  message: string,
): Promise<void> {
  if (c.type !== 'auth') {
    return;
  }
  for (const other of all) {
    if (other.type === 'auth' && other.id !== c.id && (await repository.findById(other, id, [], tx))) {
      throw new ValidationFailed(
        { id: fieldError('validation_invalid_auth_id', 'Invalid or duplicated auth record id.') },
        message,
      );
    }
  }
}
