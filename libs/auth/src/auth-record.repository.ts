import type { RecordData } from '@lib/records';
import type { CollectionModel } from '@lib/schema';

/** Lookups of auth records that the generic record repository has no method for. */
export abstract class AuthRecordRepository {
  /** The record whose email is exactly `email`, or null. */
  abstract findByEmail(c: CollectionModel, email: string): Promise<RecordData | null>;
  /** The one record whose `field` equals `value` exactly; null when none or several match. */
  abstract findByIdentity(c: CollectionModel, field: string, value: string): Promise<RecordData | null>;
}
