import { crc32, nowAfter, nowString, ValidationFailed, type FieldError } from '@lib/core';
import type { CollectionModel, CollectionType, FieldModel } from './collection.model';
import { mergeAuthOptions } from './auth-options';
import { FIELD_KINDS, isFieldType } from './fields';
import { optionTypeErrors } from './fields/option-types';

/** Field options that count something (characters, bytes, items, bcrypt rounds): safe non-negative integers. */
const COUNT_OPTIONS = ['maxSize', 'maxSelect', 'minSelect', 'cost'];
import { formatIndex, parseIndex, type ParsedIndex } from './index-definition';
import { authIndexes, authSystemFields, idField } from './system-collections';
import { namedCredential, selectsWildcard } from './view-query';

type Obj = Record<string, unknown>;
const NAME = /^\w+$/;
const RESERVED_FIELD_NAMES = ['null', 'true', 'false', '_rowid_', 'collectionid', 'collectionname', 'expand'];
const RULES = ['listRule', 'viewRule', 'createRule', 'updateRule', 'deleteRule'] as const;
const SAFE_WHERE =
  /^(\s*[`"]?\w+[`"]?\s*(=|!=|<>|>=|<=|>|<|IS\s+NOT|IS)\s*('(?:[^']|'')*'|-?\d+(\.\d+)?|NULL|TRUE|FALSE)\s*(AND|OR)?)+\s*$/i;
const err = (code: string, message: string): FieldError => ({ code, message });
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Builds the collection a create or update would save, from the client's JSON over the existing
 * collection (or the defaults), and validates it. `others` are every other collection. Throws
 * `ValidationFailed` with PocketBase's nested `data` on any problem.
 */
export function buildCollection(
  rawInput: unknown,
  existing: CollectionModel | undefined,
  others: readonly CollectionModel[],
): CollectionModel {
  const failMessage = existing ? 'Failed to update collection.' : 'Failed to create collection.';
  const input: Obj = isObj(rawInput) ? rawInput : {};
  const errors: Obj = {};
  const type = (existing?.type ?? input.type ?? 'base') as CollectionType;
  if (!['base', 'auth', 'view'].includes(type)) {
    errors.type = err('validation_in_invalid', 'Must be base, auth or view.');
  } else if (existing && input.type !== undefined && input.type !== existing.type) {
    errors.type = err('validation_collection_type_change', 'The collection type cannot be changed.');
  }
  const name = input.name ?? existing?.name;
  const nameText = typeof name === 'string' ? name : '';
  if (typeof name !== 'string' || name === '') {
    errors.name = err('validation_required', 'Cannot be blank.');
  } else if (!NAME.test(name) || name.length > 255) {
    errors.name = err('validation_match_invalid', 'Must be 1-255 word characters.');
  } else if (name.includes('_via_')) {
    errors.name = err('validation_found_via', 'The name must not contain "_via_".');
  } else if (others.some((c) => c.name.toLowerCase() === name.toLowerCase())) {
    errors.name = err('validation_collection_name_exists', 'Collection name must be unique (case insensitive).');
  } else if (others.some((c) => c.id === name)) {
    errors.name = err('validation_collection_name_id_duplicate', 'The name must not match an existing collection id.');
  } else if (existing?.system && name !== existing.name) {
    errors.name = err('validation_collection_system_name_change', 'System collection name cannot be changed.');
  } else if (!existing && name.startsWith('_') && !input.system) {
    errors.name = err('validation_invalid_name', 'Collection names starting with _ are reserved.');
  }
  const id = resolveId(input, existing, type, nameText, others, errors);
  const rules: Obj = {};
  for (const rule of RULES) {
    const value = rule in input ? input[rule] : (existing?.[rule] ?? null);
    if (value !== null && typeof value !== 'string') {
      errors[rule] = err('validation_invalid_rule', 'Must be a string or null.');
    } else if (type === 'view' && ['createRule', 'updateRule', 'deleteRule'].includes(rule) && value !== null) {
      errors[rule] = err('validation_view_rule', 'View collections are read-only: the rule must be null.');
    } else if (existing?.system && value !== existing[rule]) {
      errors[rule] = err('validation_collection_system_rule_change', 'System collection rules cannot be changed.');
    }
    rules[rule] = value;
  }
  const fields = buildFields(input.fields, existing, type, errors);
  const now = nowString();
  const collection: CollectionModel = {
    ...(type === 'auth' ? mergeAuthOptions(input, existing, errors) : {}),
    id,
    name: nameText,
    type,
    system: existing?.system ?? input.system === true,
    listRule: rules.listRule as string | null,
    viewRule: rules.viewRule as string | null,
    createRule: rules.createRule as string | null,
    updateRule: rules.updateRule as string | null,
    deleteRule: rules.deleteRule as string | null,
    fields,
    indexes: [],
    created: existing?.created ?? now,
    // always later than the stored one: the registry reuses a definition whose `updated` it already holds
    updated: nowAfter(existing?.updated),
  };
  if (type === 'view') {
    const query = input.viewQuery ?? existing?.viewQuery;
    if (
      typeof query !== 'string' ||
      !/^\s*(SELECT|WITH)\s/i.test(query) ||
      query.length > 5000 ||
      query.includes(';')
    ) {
      errors.viewQuery = err('validation_invalid_view_query', 'Must be a single SELECT statement.');
    } else if (selectsWildcard(query)) {
      errors.viewQuery = err('validation_invalid_view_query', 'Invalid query - dynamic column names are not supported');
    } else {
      const secret = namedCredential(query, others);
      if (secret) {
        const message = `Invalid query - it reads the ${secret.column} of "${secret.collection}"`;
        errors.viewQuery = err('validation_invalid_view_query', message);
      }
    }
    collection.viewQuery = typeof query === 'string' ? query : '';
  }
  collection.indexes = buildIndexes(input.indexes ?? existing?.indexes ?? [], collection, others, errors);
  if (type === 'auth') {
    checkIdentityFields(collection, errors);
  }
  if (Object.keys(errors).length > 0) {
    throw new ValidationFailed(errors, failMessage);
  }
  return collection;
}

function resolveId(
  input: Obj,
  existing: CollectionModel | undefined,
  type: string,
  name: string,
  others: readonly CollectionModel[],
  errors: Obj,
): string {
  if (existing) {
    if (input.id !== undefined && input.id !== existing.id) {
      errors.id = err('validation_pk_change', 'The collection id cannot be changed.');
    }
    return existing.id;
  }
  if (input.id !== undefined && input.id !== '') {
    const id = input.id;
    if (typeof id !== 'string' || !NAME.test(id) || id.length > 100) {
      errors.id = err('validation_invalid_id', 'Must be 1-100 word characters.');
    } else if (others.some((c) => c.id === id || c.name.toLowerCase() === id.toLowerCase())) {
      errors.id = err('validation_not_unique', 'Value must be unique.');
    }
    return typeof id === 'string' ? id : '';
  }
  const baseId = `pbc_${crc32(type + name)}`;
  let candidate = baseId;
  for (let i = 2; others.some((c) => c.id === candidate); i++) {
    candidate = `${baseId}${i}`;
  }
  return candidate;
}

function nameProblem(name: unknown, type: CollectionType): FieldError | null {
  if (typeof name !== 'string' || name === '') {
    return err('validation_required', 'Cannot be blank.');
  }
  if (!NAME.test(name) || name.length > 100) {
    return err('validation_match_invalid', 'Must be 1-100 word characters.');
  }
  if (name.includes('_via_')) {
    return err('validation_found_via', 'The name must not contain "_via_".');
  }
  if (RESERVED_FIELD_NAMES.includes(name.toLowerCase())) {
    return err('validation_not_in_invalid', 'The name is reserved.');
  }
  if (type === 'auth' && ['passwordconfirm', 'oldpassword'].includes(name.toLowerCase())) {
    return err('validation_reserved_field_name', 'The name is reserved for auth collections.');
  }
  return null;
}

/** The given field list with the system fields put back in front (by name) when missing. */
function withSystemFields(list: unknown[], existing: CollectionModel | undefined, type: CollectionType): unknown[] {
  const required = [idField(), ...(type === 'auth' ? authSystemFields() : [])];
  for (const f of existing?.fields ?? []) {
    if (f.system && !required.some((r) => r.name === f.name)) {
      required.push(f);
    }
  }
  const out = [...list];
  for (const sys of required.reverse()) {
    const i = out.findIndex((f) => isObj(f) && (f.name === sys.name || (f.id !== undefined && f.id === sys.id)));
    if (i < 0) {
      out.unshift(sys);
    } else if (isObj(out[i]) && out[i].name === sys.name) {
      // A given field with a system name keeps the system definition under the client's options.
      out[i] = { ...sys, ...out[i], id: sys.id, type: sys.type, system: true, primaryKey: sys.primaryKey };
    }
  }
  return out;
}

function buildFields(
  given: unknown,
  existing: CollectionModel | undefined,
  type: CollectionType,
  errors: Obj,
): FieldModel[] {
  if (given !== undefined && !Array.isArray(given)) {
    errors.fields = err('validation_invalid_value', 'Must be a list of fields.');
    return existing?.fields ?? [idField()];
  }
  const list = withSystemFields((given as unknown[] | undefined) ?? existing?.fields ?? [], existing, type);
  const fieldErrors: Obj = {};
  const out: FieldModel[] = [];
  list.forEach((raw, i) => {
    if (!isObj(raw)) {
      fieldErrors[String(i)] = err('validation_invalid_value', 'Must be an object.');
      return;
    }
    const problems: Obj = {};
    const name = raw.name;
    const fieldType = raw.type;
    const nameError = nameProblem(name, type);
    if (nameError) {
      problems.name = nameError;
    } else if (out.some((f) => f.name.toLowerCase() === String(name).toLowerCase())) {
      problems.name = err('validation_duplicated_field_name', 'Duplicated or invalid field name.');
    }
    if (!isFieldType(fieldType)) {
      problems.type = err('validation_invalid_field_type', 'Unknown field type.');
    }
    const id = typeof raw.id === 'string' && raw.id !== '' ? raw.id : `${String(fieldType)}${crc32(String(name))}`;
    const previous = existing?.fields.find((f) => f.id === id);
    if (previous && previous.type !== fieldType) {
      fieldErrors[String(i)] = err('validation_field_type_change', 'The type of an existing field cannot be changed.');
      return;
    }
    if (previous?.system && previous.name !== name) {
      errors.fields = err('validation_system_field_change', `System field "${previous.name}" cannot be renamed.`);
      return;
    }
    if (out.some((f) => f.id === id)) {
      problems.id = err('validation_duplicated_field_id', 'Duplicated field id.');
    }
    const field: FieldModel = {
      ...(previous ?? {}),
      ...raw,
      id,
      name: String(name),
      type: fieldType as FieldModel['type'],
      system: previous?.system ?? raw.system === true,
      hidden: raw.hidden === true,
      presentable: raw.presentable === true,
    };
    if (field.type === 'relation' && previous && previous.collectionId !== field.collectionId) {
      problems.collectionId = err('validation_field_relation_change', 'The relation collection cannot be changed.');
    }
    if (typeof field.help === 'string' && field.help.length > 300) {
      problems.help = err('validation_length_out_of_range', 'Must be at most 300 characters.');
    }
    if (isFieldType(fieldType)) {
      // Options of the wrong JSON type first: the per-type checks (and every later record write) rely on them.
      const typeErrors = optionTypeErrors({ ...(previous ?? {}), ...raw }, fieldType);
      Object.assign(
        problems,
        typeErrors,
        Object.keys(typeErrors).length ? {} : FIELD_KINDS[fieldType].checkOptions(field),
      );
    }
    for (const key of COUNT_OPTIONS) {
      const value = (field as Obj)[key];
      if (typeof value === 'number' && (!Number.isSafeInteger(value) || value < 0) && !problems[key]) {
        problems[key] = err('validation_invalid_value', 'Must be a non-negative integer of at most 2^53 - 1.');
      }
    }
    if (Object.keys(problems).length > 0) {
      fieldErrors[String(i)] = problems;
    }
    out.push(field);
  });
  if (Object.keys(fieldErrors).length > 0 && !errors.fields) {
    errors.fields = fieldErrors;
  }
  return out;
}

/** Every password identity field needs a single-column UNIQUE index (reference §4). */
function checkIdentityFields(collection: CollectionModel, errors: Obj): void {
  const identityFields = (collection.passwordAuth as { identityFields?: unknown } | undefined)?.identityFields;
  if (!Array.isArray(identityFields) || errors.passwordAuth) {
    return;
  }
  const unique = collection.indexes
    .map((sql) => parseIndex(sql))
    .filter((i): i is ParsedIndex => !('code' in i) && i.unique && i.columns.length === 1);
  for (const name of identityFields) {
    if (!collection.fields.some((f) => f.name === name) || !unique.some((i) => i.columns[0] === name)) {
      errors.passwordAuth = {
        identityFields: err(
          'validation_missing_field',
          `Identity field "${String(name)}" must exist and have a unique index.`,
        ),
      };
      return;
    }
  }
}

/** Lowercased index names by statement: the same stored statements are looked at by every save. */
const indexNames = new Map<string, string>();

function indexNameOf(sql: string): string {
  let name = indexNames.get(sql);
  if (name === undefined) {
    const parsed = parseIndex(sql);
    name = 'code' in parsed ? '' : parsed.name.toLowerCase();
    if (indexNames.size >= 50_000) {
      indexNames.clear();
    }
    indexNames.set(sql, name);
  }
  return name;
}

function buildIndexes(
  given: unknown,
  collection: CollectionModel,
  others: readonly CollectionModel[],
  errors: Obj,
): string[] {
  if (!Array.isArray(given)) {
    errors.indexes = err('validation_invalid_value', 'Must be a list of CREATE INDEX statements.');
    return [];
  }
  const parsed: ParsedIndex[] = [];
  const indexErrors: Obj = {};
  const names = new Set(collection.fields.map((f) => f.name));
  const usedElsewhere = new Set(others.flatMap((c) => c.indexes.map(indexNameOf)));
  given.forEach((sql, i) => {
    const index = parseIndex(String(sql));
    if ('code' in index) {
      indexErrors[String(i)] = index;
    } else if (index.columns.some((c) => !names.has(c)) || (index.where && !SAFE_WHERE.test(index.where))) {
      indexErrors[String(i)] = err(
        'validation_invalid_index_expression',
        'Unknown column or unsupported WHERE clause.',
      );
    } else if (
      parsed.some((p) => p.name.toLowerCase() === index.name.toLowerCase()) ||
      usedElsewhere.has(index.name.toLowerCase())
    ) {
      indexErrors[String(i)] = err('validation_duplicated_index_name', 'Duplicated index name.');
    } else {
      parsed.push(index);
    }
  });
  if (collection.type === 'auth') {
    for (const sql of authIndexes(collection.name)) {
      const index = parseIndex(sql);
      // An unusable collection name gives no parsable statement; the name's own error says why.
      if ('code' in index) {
        continue;
      }
      if (!parsed.some((p) => p.unique && p.columns.length === 1 && p.columns[0] === index.columns[0])) {
        parsed.push(index);
      }
    }
  }
  if (Object.keys(indexErrors).length > 0) {
    errors.indexes = indexErrors;
  }
  if (collection.type === 'view' && parsed.length > 0) {
    errors.indexes = err('validation_view_indexes', 'View collections cannot have indexes.');
  }
  return parsed.map((p) => formatIndex(p, collection.name));
}
