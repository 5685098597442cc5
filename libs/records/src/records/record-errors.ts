import { fieldError, ValidationFailed } from '@lib/core';

/** Maps a SQLite UNIQUE violation on a collection table to PocketBase's `validation_not_unique`. */
export function uniqueViolation(error: unknown, message: string): ValidationFailed | null {
  const text = error instanceof Error ? error.message : '';
  const match = /UNIQUE constraint failed: ([\w.", ]+)/.exec(text);
  if (!match) {
    return null;
  }
  const data: Record<string, unknown> = {};
  for (const column of match[1].split(',')) {
    const name = column.trim().split('.').pop() ?? 'id';
    data[name] = fieldError('validation_not_unique', 'Value must be unique.');
  }
  return new ValidationFailed(data, message);
}
