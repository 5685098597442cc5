import { hookRequestFields } from '@lib/core';
import type { RecordData } from '@lib/records';
import type { CollectionModel } from '@lib/schema';

interface HookRecordLike {
  values(): RecordData;
  collection(): { id: string };
}

const isHookRecord = (v: unknown): v is HookRecordLike =>
  typeof v === 'object' && v !== null && typeof (v as HookRecordLike).values === 'function';

/**
 * The record a hook left in `e.record` (a hook record, with the hook's changes, or the plain data it was given), as
 * plain data of collection `c`: null when there is none or it belongs to another collection.
 */
export function hookedRecord(value: unknown, c: CollectionModel): RecordData | null {
  if (isHookRecord(value)) {
    return value.collection().id === c.id ? { ...value.values() } : null;
  }
  return typeof value === 'object' && value !== null ? (value as RecordData) : null;
}

/** What a sign-in hook's event has of PocketBase's request event (see hookRequestFields). */
export const requestFields = hookRequestFields;
