import { nowString, type FieldErrors } from '@lib/core';
import { FIELD_KINDS, InvalidValue, type CollectionModel, type FieldModel } from '@lib/schema';
import type { UploadedFile } from '@lib/core';
import { generateFromPattern } from './autogenerate';
import { checkFileNames, prepareUploads } from './file-input';
import type { RecordData } from './record-codec';

const AUTH_RESERVED = ['passwordConfirm', 'oldPassword'];

export interface InputResult {
  data: RecordData;
  /** The field names the body set (after modifiers), for `@request.body` and relation checks. */
  changed: Set<string>;
  /** Resolved body values by field name (`@request.body.*`). */
  body: Record<string, unknown>;
  errors: FieldErrors;
  /** New uploads by their stored name (only those still in `data` get stored). */
  uploads: Map<string, UploadedFile>;
}

function applyModifier(field: FieldModel, current: unknown, op: '+' | '-' | 'prepend', input: unknown): unknown {
  const kind = FIELD_KINDS[field.type];
  if (field.type === 'number') {
    const n = kind.normalize(input, field) as number;
    return (current as number) + (op === '-' ? -n : n);
  }
  const list = (Array.isArray(current) ? current : current ? [current] : []) as string[];
  const given = (Array.isArray(input) ? input : [input]).map(String).filter((v) => v !== '');
  if (op === '-') {
    return kind.normalize(
      list.filter((v) => !given.includes(v)),
      field,
    );
  }
  const merged = op === '+' ? [...list, ...given] : [...given, ...list];
  return kind.normalize(merged, field);
}

type BodyOp = 'set' | '+' | '-' | 'prepend' | 'autogenerate';
/** The body keys that can set each field, made once per field model (every create and update looks at them). */
const keysOf = new WeakMap<FieldModel, [string, BodyOp][]>();

function bodyKeys(field: FieldModel): [string, BodyOp][] {
  let keys = keysOf.get(field);
  if (!keys) {
    const n = field.name;
    keys = [
      [n, 'set'],
      [`${n}:autogenerate`, 'autogenerate'],
      [`+${n}`, 'prepend'],
      [`${n}+`, '+'],
      [`${n}-`, '-'],
    ];
    keysOf.set(field, keys);
  }
  return keys;
}

/**
 * Applies a create/update body to a record: plain keys, the `name+` / `+name` / `name-` modifiers
 * (shortest key first), autodate and autogenerate values, then validates every field.
 */
export function applyInput(
  collection: CollectionModel,
  base: RecordData,
  rawBody: Record<string, unknown>,
  isNew: boolean,
  allowHidden: boolean,
): InputResult {
  const data: RecordData = { ...base };
  const changed = new Set<string>();
  const errors: FieldErrors = {};
  const { body, uploads } = prepareUploads(collection, rawBody, errors);
  // One instant for every autodate field of the write (`created` and `updated` of a new record are equal).
  let now: string | undefined;
  for (const field of collection.fields) {
    const kind = FIELD_KINDS[field.type];
    if (field.type === 'autodate') {
      if ((isNew && field.onCreate) || (!isNew && field.onUpdate)) {
        data[field.name] = now ??= nowString();
      }
      continue;
    }
    const acceptsInput = !field.hidden || allowHidden || field.type === 'password';
    for (const [key, op] of bodyKeys(field)) {
      if (!acceptsInput || !(key in body)) {
        continue;
      }
      if (op === 'autogenerate') {
        if (field.type === 'text' && field.autogeneratePattern) {
          data[field.name] = String(kind.normalize(body[key], field)) + generateFromPattern(field.autogeneratePattern);
          changed.add(field.name);
        }
        continue;
      }
      const modifiable =
        field.type === 'number'
          ? op !== 'prepend'
          : field.type === 'select' || field.type === 'relation' || field.type === 'file';
      if (op !== 'set' && !modifiable) {
        continue;
      }
      try {
        data[field.name] =
          op === 'set' ? kind.normalize(body[key], field) : applyModifier(field, data[field.name], op, body[key]);
        changed.add(field.name);
      } catch (error) {
        if (error instanceof InvalidValue) {
          errors[field.name] = error.fieldError;
        } else {
          throw error;
        }
      }
    }
    if (isNew && field.type === 'text' && data[field.name] === '' && field.autogeneratePattern) {
      data[field.name] = generateFromPattern(field.autogeneratePattern);
    }
  }
  const resolved: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(body)) {
    const name = key.replace(/^\+|[+-]$|:autogenerate$/g, '');
    resolved[name] = changed.has(name) ? data[name] : value;
  }
  for (const field of collection.fields) {
    if (
      errors[field.name] ||
      field.type === 'password' ||
      (collection.type === 'auth' && AUTH_RESERVED.includes(field.name))
    ) {
      continue;
    }
    if (!isNew && !changed.has(field.name)) {
      continue;
    }
    const problem =
      FIELD_KINDS[field.type].validate(data[field.name], field, { isNew }) ??
      (field.type === 'file' ? checkFileNames(field, base, data, uploads) : null);
    if (problem) {
      errors[field.name] = problem;
    }
  }
  return { data, changed, body: resolved, errors, uploads };
}
