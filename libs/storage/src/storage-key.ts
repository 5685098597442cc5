import { NotFoundError } from '@lib/core';

// eslint-disable-next-line no-control-regex -- control characters are exactly what is refused
const UNSAFE = /[/\\\x00-\x1f\x7f]/;

/** True for a single path segment that can't escape its directory. */
export function isSafeSegment(segment: string): boolean {
  return segment !== '' && segment !== '.' && segment !== '..' && segment.length <= 255 && !UNSAFE.test(segment);
}

/** Joins key segments after checking each one; a bad segment is a 404, as for a missing file. */
export function storageKey(...segments: string[]): string {
  if (!segments.every(isSafeSegment)) {
    throw new NotFoundError();
  }
  return segments.join('/');
}

/** `<collectionId>/<recordId>/<filename>` */
export function fileKey(collectionId: string, recordId: string, filename: string): string {
  return storageKey(collectionId, recordId, filename);
}

/** `<collectionId>/<recordId>/thumbs_<filename>/<size>_<filename>` (PocketBase's thumb cache). */
export function thumbKey(collectionId: string, recordId: string, filename: string, size: string): string {
  return storageKey(collectionId, recordId, `thumbs_${filename}`, `${size}_${filename}`);
}

/** The folder of a file's thumbs. */
export function thumbsPrefix(collectionId: string, recordId: string, filename: string): string {
  return `${storageKey(collectionId, recordId, `thumbs_${filename}`)}/`;
}

/** The folder of a record's files. */
export function recordPrefix(collectionId: string, recordId: string): string {
  return `${storageKey(collectionId, recordId)}/`;
}
