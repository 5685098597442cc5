import type { FieldError } from '@lib/core';
import type { FieldType } from '../collection.model';

/** The JSON type an option must have: PocketBase reads field options into typed Go structs. */
type OptionType = 'bool' | 'number' | 'string' | 'strings';

const COMMON: Record<string, OptionType> = {
  system: 'bool',
  hidden: 'bool',
  presentable: 'bool',
  required: 'bool',
  help: 'string',
};

const TEXT: Record<string, OptionType> = { min: 'number', max: 'number', pattern: 'string' };
const DOMAINS: Record<string, OptionType> = { exceptDomains: 'strings', onlyDomains: 'strings' };

/** The typed options of each field type (other keys are ignored, as PocketBase ignores unknown JSON keys). */
const OPTIONS: Readonly<Record<FieldType, Record<string, OptionType>>> = {
  text: { ...TEXT, autogeneratePattern: 'string', primaryKey: 'bool' },
  password: { ...TEXT, cost: 'number' },
  number: { min: 'number', max: 'number', onlyInt: 'bool' },
  bool: {},
  email: DOMAINS,
  url: DOMAINS,
  editor: { maxSize: 'number', convertURLs: 'bool' },
  date: { min: 'string', max: 'string' },
  autodate: { onCreate: 'bool', onUpdate: 'bool' },
  select: { values: 'strings', maxSelect: 'number' },
  json: { maxSize: 'number' },
  relation: { collectionId: 'string', cascadeDelete: 'bool', minSelect: 'number', maxSelect: 'number' },
  file: { maxSelect: 'number', maxSize: 'number', mimeTypes: 'strings', thumbs: 'strings', protected: 'bool' },
  geoPoint: {},
};

const MESSAGES: Record<OptionType, string> = {
  bool: 'Must be a boolean.',
  number: 'Must be a number.',
  string: 'Must be a string.',
  strings: 'Must be a list of strings.',
};

function hasType(value: unknown, type: OptionType): boolean {
  switch (type) {
    case 'bool':
      return typeof value === 'boolean';
    case 'number':
      return typeof value === 'number' && Number.isFinite(value);
    case 'string':
      return typeof value === 'string';
    case 'strings':
      return Array.isArray(value) && value.every((item) => typeof item === 'string');
  }
}

/**
 * Errors for the options of `field` whose JSON type is wrong (`null` counts as unset): a wrong type stored in a
 * collection would break every later read or write of its records, so it is refused when the collection is saved.
 */
export function optionTypeErrors(field: Record<string, unknown>, type: FieldType): Record<string, FieldError> {
  const out: Record<string, FieldError> = {};
  for (const [key, expected] of Object.entries({ ...COMMON, ...OPTIONS[type] })) {
    const value = field[key];
    if (value !== undefined && value !== null && !hasType(value, expected)) {
      out[key] = { code: 'validation_invalid_value', message: MESSAGES[expected] };
    }
  }
  return out;
}
