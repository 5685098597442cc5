import { fieldError, randomString, type FieldErrors } from '@lib/core';
import { FIELD_KINDS, type CollectionModel } from '@lib/schema';
import type { RecordData } from './record-codec';
import type { PasswordHasher } from './record-request';

export interface AuthInputContext {
  isNew: boolean;
  /** Superuser or manageRule match: may set email/verified and change the password without oldPassword. */
  canManage: boolean;
  /** The stored record before the update (undefined on create). */
  stored?: RecordData;
  /** An anonymous guest record (`auth-anonymously`): created without email and password. */
  anonymous?: boolean;
}

/**
 * An anonymous guest record: it has no password (nor email) yet. Its owner may set email + password
 * once through a normal update (no oldPassword to give); it stays unverified.
 */
export function isAnonymousRecord(record: RecordData | undefined): boolean {
  return record !== undefined && record.password === '' && record.email === '';
}

/**
 * The auth-collection specifics of a create/update (reference §2.1 "Auth record update rules"):
 * password + passwordConfirm (+ oldPassword), verified/email changes, tokenKey rotation.
 */
export async function applyAuthInput(
  collection: CollectionModel,
  data: RecordData,
  body: Record<string, unknown>,
  ctx: AuthInputContext,
  hasher: PasswordHasher,
  errors: FieldErrors,
): Promise<void> {
  const passwordField = collection.fields.find((f) => f.name === 'password')!;
  const password = body.password;
  const wantsPassword = password !== undefined && password !== null && password !== '';
  if (ctx.isNew && ctx.anonymous) {
    delete errors.email;
    data.email = '';
    data.verified = false;
    return;
  }
  const upgrading = !ctx.isNew && !ctx.canManage && isAnonymousRecord(ctx.stored);
  if (upgrading) {
    checkAnonymousUpgrade(collection, data, wantsPassword, errors);
  }
  if (ctx.isNew && !wantsPassword) {
    errors.password = fieldError('validation_required', 'Cannot be blank.');
    if (body.passwordConfirm === undefined || body.passwordConfirm === '') {
      errors.passwordConfirm = fieldError('validation_required', 'Cannot be blank.');
    }
  }
  if (ctx.isNew && !ctx.canManage && data.verified === true) {
    errors.verified = fieldError('validation_values_mismatch', 'Only managers can set verified.');
  }
  if (!ctx.isNew && ctx.stored) {
    if (!ctx.canManage && !upgrading && data.email !== ctx.stored.email) {
      errors.email = fieldError(
        'validation_values_mismatch',
        'The email can be changed only with request-email-change.',
      );
    }
    if (!ctx.canManage && data.verified !== ctx.stored.verified) {
      errors.verified = fieldError('validation_values_mismatch', 'Only managers can change verified.');
    }
  }
  if (wantsPassword) {
    const plain = typeof password === 'string' ? password : JSON.stringify(password);
    const problem = FIELD_KINDS.password.validate(plain, passwordField, { isNew: ctx.isNew });
    if (problem) {
      errors.password = problem;
    }
    if (body.passwordConfirm !== password) {
      errors.passwordConfirm = fieldError('validation_values_mismatch', "Values don't match.");
    }
    if (!ctx.isNew && !ctx.canManage && !upgrading && ctx.stored) {
      const old = body.oldPassword;
      if (typeof old !== 'string' || !(await hasher.verify(old, String(ctx.stored.password)))) {
        errors.oldPassword = fieldError('validation_invalid_old_password', 'Missing or invalid old password.');
      }
    }
    if (Object.keys(errors).length === 0) {
      data.password = await hasher.hash(plain, Number(passwordField.cost) || undefined);
      data.tokenKey = randomString(50, 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789');
    }
  }
  if (!ctx.isNew && ctx.stored && data.email !== ctx.stored.email) {
    data.tokenKey = randomString(50, 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789');
  }
}

/** Becoming a full user sets email and password together (the email only if the field requires one). */
function checkAnonymousUpgrade(
  collection: CollectionModel,
  data: RecordData,
  wantsPassword: boolean,
  errors: FieldErrors,
): void {
  const emailRequired = collection.fields.find((f) => f.name === 'email')?.required === true;
  if (data.email !== '' && !wantsPassword) {
    errors.password = fieldError('validation_required', 'Cannot be blank.');
  }
  if (wantsPassword && data.email === '' && emailRequired && !errors.email) {
    errors.email = fieldError('validation_required', 'Cannot be blank.');
  }
}
