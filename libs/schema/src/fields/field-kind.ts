import type { FieldError } from '@lib/core';
import type { ColumnSpec } from '@lib/database';
import type { FieldModel } from '../collection.model';

/** What validating one field value may need beyond the value itself. */
export interface FieldContext {
  /** True for a newly created record. */
  isNew: boolean;
}

/**
 * One field type: how its values are stored, read from client input, validated and exported.
 * Values in between (`normalize` → `validate` → `toDb`) are plain JS values.
 */
export interface FieldKind {
  column(field: FieldModel): ColumnSpec;
  /** The value a new record starts with. */
  empty(field: FieldModel): unknown;
  /** Client input → the field's value shape; a FieldError when it can't be read at all. */
  normalize(input: unknown, field: FieldModel): unknown;
  /** Checks a normalized value against the field options; null when valid. */
  validate(value: unknown, field: FieldModel, ctx: FieldContext): FieldError | null;
  toDb(value: unknown, field: FieldModel): unknown;
  fromDb(raw: unknown, field: FieldModel): unknown;
  /** Validates the type-specific options of a field definition; returns errors keyed by option. */
  checkOptions(field: FieldModel): Record<string, FieldError>;
}

export class InvalidValue extends Error {
  constructor(readonly fieldError: FieldError) {
    super(fieldError.message);
  }
}

export const blank: FieldError = { code: 'validation_required', message: 'Cannot be blank.' };

export function isBlank(value: unknown): boolean {
  return (
    value === null ||
    value === undefined ||
    value === '' ||
    value === 0 ||
    value === false ||
    (Array.isArray(value) && value.length === 0)
  );
}

export function asString(input: unknown): string {
  if (input === null || input === undefined) {
    return '';
  }
  if (typeof input === 'string') {
    return input;
  }
  if (typeof input === 'number' || typeof input === 'boolean') {
    return String(input);
  }
  throw new InvalidValue({ code: 'validation_invalid_value', message: 'Must be a string.' });
}

export function parseJsonText(raw: unknown): unknown {
  if (typeof raw !== 'string') {
    return raw ?? null;
  }
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    return null;
  }
}

export function textColumn(field: FieldModel): ColumnSpec {
  return { name: field.name, type: 'text', notNull: true, default: "''", primary: field.primaryKey === true };
}

/** A stored scalar as text (null/undefined → ''). */
export function scalarText(raw: unknown): string {
  switch (typeof raw) {
    case 'string':
      return raw;
    case 'number':
    case 'boolean':
    case 'bigint':
      return String(raw);
    case 'object':
      return raw === null ? '' : JSON.stringify(raw);
    default:
      return '';
  }
}
