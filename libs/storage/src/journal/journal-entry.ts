import { isPlainObject } from '@lib/core';
import { isSafeSegment } from '../storage-key';

/** The folder of the notes, in the file storage itself (beside the files they name). */
export const JOURNAL_PREFIX = '.upload-journal/';

/** What a write is about to store or replace: the files of one record. */
export interface JournalEntry {
  collectionId: string;
  recordId: string;
  files: string[];
}

/** A note's JSON as the journal writes it, or null. */
export function parseEntry(text: string): JournalEntry | null {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return null;
  }
  if (!isPlainObject(value)) {
    return null;
  }
  const { collectionId, recordId, files } = value;
  const ok =
    typeof collectionId === 'string' &&
    isSafeSegment(collectionId) &&
    typeof recordId === 'string' &&
    isSafeSegment(recordId) &&
    Array.isArray(files) &&
    files.every((f) => typeof f === 'string' && isSafeSegment(f));
  return ok ? { collectionId, recordId, files: files as string[] } : null;
}
