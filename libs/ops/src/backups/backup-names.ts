import { BadRequestError, fieldError, ValidationFailed } from '@lib/core';

/** Names a client may give a new backup (PocketBase's rule). */
const NEW_NAME = /^[a-z0-9_-]+\.zip$/;
/** Keys of existing backups: no path separators, no leading dot (auto backups start with `@`). */
const KEY = /^[A-Za-z0-9@_-][A-Za-z0-9@_.-]*\.zip$/;

export const AUTO_PREFIX = '@auto_pb_backup_';

export function isBackupKey(key: string): boolean {
  return key.length <= 255 && KEY.test(key) && !key.includes('..');
}

/** A 400 unless `key` can name a backup (a traversal like `../data.db` never reaches the store). */
export function checkKey(key: string): void {
  if (!isBackupKey(key)) {
    throw new BadRequestError('Missing or invalid backup file.');
  }
}

export function checkNewName(name: string, field = 'name'): void {
  if (name.length > 150 || !NEW_NAME.test(name)) {
    throw new ValidationFailed({
      [field]: fieldError(
        'validation_invalid_backup_name',
        'Must be in the format [a-z0-9_-].zip (max 150 characters).',
      ),
    });
  }
}

export function nameExists(field = 'name'): ValidationFailed {
  return new ValidationFailed({
    [field]: fieldError('validation_backup_name_exists', 'Backup with the specified name already exists.'),
  });
}

/** `pb_backup_20240131134501.zip` (UTC). */
export function defaultName(prefix = 'pb_backup_', now = new Date()): string {
  const stamp = now.toISOString().replace(/[-:T]/g, '').slice(0, 14);
  return `${prefix}${stamp}.zip`;
}
