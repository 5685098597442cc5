import { fieldError, isEmailAddress, ValidationFailed, type FieldErrors } from '@lib/core';

export const VALIDATION_MESSAGE = 'An error occurred while validating the submitted data.';

export function isEmail(value: string): boolean {
  return isEmailAddress(value);
}

/** A required string body value (≤ 255 chars); records a field error and returns '' otherwise. */
export function requiredString(body: Record<string, unknown>, key: string, errors: FieldErrors): string {
  const value = body[key];
  if (typeof value !== 'string' || value === '') {
    errors[key] = fieldError('validation_required', 'Cannot be blank.');
    return '';
  }
  if (value.length > 255) {
    errors[key] = fieldError('validation_length_out_of_range', 'The length must be between 1 and 255.');
    return '';
  }
  return value;
}

/** A required, well-formed email body value. */
export function requiredEmail(body: Record<string, unknown>, key: string, errors: FieldErrors): string {
  const value = requiredString(body, key, errors);
  if (value !== '' && !isEmail(value)) {
    errors[key] = fieldError('validation_is_email', 'Must be a valid email address.');
    return '';
  }
  return value;
}

export function throwIfErrors(errors: FieldErrors): void {
  if (Object.keys(errors).length > 0) {
    throw new ValidationFailed(errors, VALIDATION_MESSAGE);
  }
}
