import { MAX_JSON_DEPTH, valueTooDeep, wellFormedJson, type FieldError } from '@lib/core';
import { isMultiple, type FieldModel } from '../collection.model';
import { asString, blank, FieldKind, InvalidValue, parseJsonText, scalarText } from './field-kind';

const NUMBER_TEXT = /^\s*-?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?\s*$/;

export const numberKind: FieldKind = {
  column: (f) => ({ name: f.name, type: 'numeric', notNull: true, default: '0' }),
  empty: () => 0,
  normalize(input) {
    if (input === null || input === undefined || input === '') {
      return 0;
    }
    if (typeof input === 'boolean') {
      return input ? 1 : 0;
    }
    if (typeof input === 'number') {
      return input;
    }
    if (typeof input === 'string' && NUMBER_TEXT.test(input)) {
      return Number(input);
    }
    throw new InvalidValue({ code: 'validation_invalid_number', message: 'Must be a valid number.' });
  },
  validate(value, field) {
    const n = value as number;
    if (!Number.isFinite(n)) {
      return { code: 'validation_not_a_number', message: 'The submitted number is not properly formatted.' };
    }
    if (n === 0) {
      return field.required ? blank : null;
    }
    if (field.onlyInt && !Number.isInteger(n)) {
      return { code: 'validation_only_int_constraint', message: 'Decimal numbers are not allowed.' };
    }
    if (typeof field.min === 'number' && n < field.min) {
      return {
        code: 'validation_min_number_constraint',
        message: `Must be greater or equal than ${field.min}.`,
        params: { min: field.min },
      };
    }
    if (typeof field.max === 'number' && n > field.max) {
      return {
        code: 'validation_max_number_constraint',
        message: `Must be less or equal than ${field.max}.`,
        params: { max: field.max },
      };
    }
    return null;
  },
  toDb: (v) => v,
  fromDb: (raw) => (raw === null || raw === undefined || raw === '' ? 0 : Number(raw)),
  checkOptions(field) {
    const out: Record<string, FieldError> = {};
    for (const key of ['min', 'max'] as const) {
      const v = field[key];
      if (v !== undefined && v !== null && typeof v !== 'number') {
        out[key] = { code: 'validation_invalid_number', message: 'Must be a number or null.' };
      }
    }
    if (typeof field.min === 'number' && typeof field.max === 'number' && field.min > field.max) {
      out.max = { code: 'validation_min_number_constraint', message: 'Must be greater or equal than min.' };
    }
    return out;
  },
};

export const boolKind: FieldKind = {
  column: (f) => ({ name: f.name, type: 'boolean', notNull: true, default: '0' }),
  empty: () => false,
  normalize(input) {
    if (typeof input === 'boolean') {
      return input;
    }
    if (typeof input === 'number') {
      return input !== 0;
    }
    if (typeof input === 'string') {
      return ['true', '1', 't', 'yes', 'on'].includes(input.trim().toLowerCase());
    }
    return false;
  },
  validate: (value, field) => (field.required && value !== true ? blank : null),
  toDb: (v) => (v ? 1 : 0),
  fromDb: (raw) => raw === 1 || raw === true || raw === '1' || raw === 'true',
  checkOptions: () => ({}),
};

/** Input for select/relation/file values: one string, a list, or a JSON-ish list. */
function toList(input: unknown): string[] {
  if (input === null || input === undefined || input === '') {
    return [];
  }
  const items = Array.isArray(input) ? input : [input];
  const out: string[] = [];
  for (const item of items) {
    const s = asString(item);
    if (s !== '' && !out.includes(s)) {
      out.push(s);
    }
  }
  return out;
}

/** select, relation and file values: a string (single) or a list of strings (multiple). */
export function multiKind(
  validateItems: (items: string[], field: FieldModel) => FieldError | null,
): Omit<FieldKind, 'checkOptions'> {
  return {
    column: (f) =>
      isMultiple(f)
        ? { name: f.name, type: 'json', notNull: true, default: "'[]'" }
        : { name: f.name, type: 'text', notNull: true, default: "''" },
    empty: (f) => (isMultiple(f) ? [] : ''),
    normalize(input, field) {
      const list = toList(input);
      if (isMultiple(field)) {
        return list;
      }
      return list.length > 0 ? list[list.length - 1] : '';
    },
    validate(value, field) {
      const items = Array.isArray(value) ? (value as string[]) : value ? [value as string] : [];
      if (items.length === 0) {
        return field.required ? blank : null;
      }
      const max = field.maxSelect ?? 1;
      if (isMultiple(field) && items.length > max) {
        return {
          code: 'validation_too_many_values',
          message: `Select no more than ${max}.`,
          params: { maxSelect: max },
        };
      }
      if (field.minSelect && items.length < field.minSelect) {
        return {
          code: 'validation_not_enough_values',
          message: `Select at least ${field.minSelect}.`,
          params: { minSelect: field.minSelect },
        };
      }
      return validateItems(items, field);
    },
    toDb: (v, f) => (isMultiple(f) ? JSON.stringify(v ?? []) : (v ?? '')),
    fromDb(raw, f) {
      if (isMultiple(f)) {
        const parsed = parseJsonText(raw);
        return Array.isArray(parsed) ? (parsed as unknown[]) : [];
      }
      return scalarText(raw);
    },
  };
}

export const selectKind: FieldKind = {
  ...multiKind((items, field) => {
    const bad = items.find((v) => !(field.values ?? []).includes(v));
    return bad === undefined
      ? null
      : { code: 'validation_invalid_value', message: `Invalid value ${bad}.`, params: { value: bad } };
  }),
  checkOptions(field) {
    const out: Record<string, FieldError> = {};
    if (
      !Array.isArray(field.values) ||
      field.values.length === 0 ||
      field.values.some((v) => typeof v !== 'string' || v === '')
    ) {
      out.values = { code: 'validation_required', message: 'Cannot be blank.' };
    } else if ((field.maxSelect ?? 0) > field.values.length) {
      out.maxSelect = {
        code: 'validation_max_less_equal_than_required',
        message: `Must be no greater than ${field.values.length}.`,
      };
    }
    return out;
  },
};

/** Relation existence is checked by the records service (it needs the database). */
export const relationKind: FieldKind = {
  ...multiKind(() => null),
  checkOptions(field) {
    const out: Record<string, FieldError> = {};
    if (!field.collectionId || typeof field.collectionId !== 'string') {
      out.collectionId = { code: 'validation_required', message: 'Cannot be blank.' };
    }
    if ((field.minSelect ?? 0) > 0 && !field.maxSelect) {
      out.maxSelect = { code: 'validation_required', message: 'Cannot be blank when minSelect is set.' };
    } else if ((field.minSelect ?? 0) > 0 && (field.maxSelect ?? 0) < (field.minSelect ?? 0)) {
      out.maxSelect = { code: 'validation_min_number_constraint', message: 'Must be greater or equal than minSelect.' };
    }
    return out;
  },
};

/** Stored names only: uploads arrive with the files issue; names must already be known to the record. */
export const fileKind: FieldKind = {
  ...multiKind(() => null),
  checkOptions(field) {
    const out: Record<string, FieldError> = {};
    for (const thumb of field.thumbs ?? []) {
      if (!/^\d+x\d+[tbf]?$/.test(thumb) || /^0x0/.test(thumb)) {
        out.thumbs = { code: 'validation_invalid_thumb', message: `Invalid thumb size ${thumb}.` };
      }
    }
    return out;
  },
};

export const jsonKind: FieldKind = {
  column: (f) => ({ name: f.name, type: 'json', notNull: false, default: null }),
  empty: () => null,
  normalize(input) {
    if (typeof input !== 'string') {
      return input === undefined ? null : input;
    }
    const t = input.trim();
    if (/^[-\d"[{]/.test(t) || t === 'true' || t === 'false' || t === 'null') {
      try {
        return wellFormedJson(JSON.parse(t), t);
      } catch {
        return input;
      }
    }
    return input;
  },
  validate(value, field) {
    if (valueTooDeep(value)) {
      return {
        code: 'validation_json_too_deep',
        message: `JSON may nest at most ${MAX_JSON_DEPTH} levels deep.`,
        params: { maxDepth: MAX_JSON_DEPTH },
      };
    }
    const text = JSON.stringify(value ?? null);
    const max = Number(field.maxSize ?? 0) || 1024 * 1024;
    if (Buffer.byteLength(text) > max) {
      return {
        code: 'validation_json_size_limit',
        message: `The maximum allowed JSON size is ${max} bytes.`,
        params: { maxSize: max },
      };
    }
    const empty = value === null || value === '' || text === '[]' || text === '{}';
    return field.required && empty ? blank : null;
  },
  toDb: (v) => (v === null || v === undefined ? null : JSON.stringify(v)),
  fromDb: (raw) => parseJsonText(raw),
  checkOptions: () => ({}),
};

export const geoPointKind: FieldKind = {
  column: (f) => ({ name: f.name, type: 'json', notNull: true, default: `'{"lon":0,"lat":0}'` }),
  empty: () => ({ lon: 0, lat: 0 }),
  normalize(input) {
    const value = typeof input === 'string' ? parseJsonText(input) : input;
    if (value === null || value === undefined || value === '') {
      return { lon: 0, lat: 0 };
    }
    const point = value as { lon?: unknown; lat?: unknown };
    if (typeof value !== 'object' || typeof point.lon !== 'number' || typeof point.lat !== 'number') {
      throw new InvalidValue({
        code: 'validation_invalid_geo_point',
        message: 'Must be an object with numeric lon and lat.',
      });
    }
    return { lon: point.lon, lat: point.lat };
  },
  validate(value, field) {
    const { lon, lat } = value as { lon: number; lat: number };
    if (lat < -90 || lat > 90) {
      return { code: 'validation_invalid_latitude', message: 'Latitude must be between -90 and 90 degrees.' };
    }
    if (lon < -180 || lon > 180) {
      return { code: 'validation_invalid_longitude', message: 'Longitude must be between -180 and 180 degrees.' };
    }
    return field.required && lon === 0 && lat === 0 ? blank : null;
  },
  toDb: (v) => JSON.stringify(v),
  fromDb: (raw) => parseJsonText(raw) ?? { lon: 0, lat: 0 },
  checkOptions: () => ({}),
};
