import { crc32, nowString, ValidationFailed, type FieldError } from '@lib/core';
import type { CollectionModel, CollectionType, FieldModel } from './collection.model';
import { mergeAuthOptions } from './auth-options';
import { FIELD_KINDS, isFieldType } from './fields';
import { formatIndex, parseIndex, type ParsedIndex } from './index-definition';
import { authIndexes, authSystemFields, idField } from './system-collections';

type Obj = Record<string, unknown>;
const NAME = /^\w+$/;
const RESERVED_FIELD_NAMES = ['null', 'true', 'false', '_rowid_', 'collectionid', 'collectionname', 'expand'];
const RULES = ['listRule', 'viewRule', 'createRule', 'updateRule', 'deleteRule'] as const;
const SAFE_WHERE = /^(\s*[`"]?\w+[`"]?\s*(=|!=|<>|>=|<=|>|<|IS\s+NOT|IS)\s*('(?:[^']|'')*'|-?\d+(\.\d+)?|NULL|TRUE|FALSE)\s*(AND|OR)?)+\s*$/i;
const err = (code: string, message: string): FieldError => ({ code, message });
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Builds the collection a create or update would save, from the client's JSON over the existing
 * collection (or the defaults), and validates it. `others` are every other collection. Throws
 * `ValidationFailed` with PocketBase's nested `data` on any problem.
 */
export function buildCollection(input: unknown, existing: CollectionModel | undefined, others: readonly CollectionModel[]): CollectionModel {
  const failMessage = existing ? 'Failed to update collection.' : 'Failed to create collection.';
  if (!isObj(input)) {
    throw new ValidationFailed({}, failMessage);
  }
  const errors: Obj = {};
  const type = (existing?.type ?? input.type ?? 'base') as CollectionType;
  if (!['base', 'auth', 'view'].includes(type)) {
    errors.type = err('validation_invalid_type', 'Must be base, auth or view.');
  } else if (existing && input.type !== undefined && input.type !== existing.type) {
    errors.type = err('validation_collection_type_change', 'The collection type cannot be changed.');
  }
  const name = input.name ?? existing?.name;
  if (typeof name !== 'string' || name === '') {
    errors.name = err('validation_required', 'Cannot be blank.');
  } else if (!NAME.test(name) || name.length > 255 || name.includes('_via_')) {
    errors.name = err('validation_invalid_name', 'Invalid collection name.');
  } else if (others.some((c) => c.name.toLowerCase() === name.toLowerCase() || c.id === name)) {
    errors.name = err('validation_collection_name_exists', 'Collection name must be unique (case insensitive).');
  } else if (existing?.system && name !== existing.name) {
    errors.name = err('validation_collection_system_name_change', 'System collection name cannot be changed.');
  } else if (!existing && name.startsWith('_') && !input.system) {
    errors.name = err('validation_invalid_name', 'Collection names starting with _ are reserved.');
  }
  const id = resolveId(input, existing, type, String(name ?? ''), others, errors);
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
    ...(type === 'auth' ? mergeAuthOptions(input, existing, String(name), errors) : {}),
    id,
    name: String(name ?? ''),
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
    updated: now,
  };
  if (type === 'view') {
    const query = input.viewQuery ?? existing?.viewQuery;
    if (typeof query !== 'string' || !/^\s*(SELECT|WITH)\s/i.test(query) || query.length > 5000 || query.includes(';')) {
      errors.viewQuery = err('validation_invalid_view_query', 'Must be a single SELECT statement.');
    }
    collection.viewQuery = String(query ?? '');
  }
  collection.indexes = buildIndexes(input.indexes ?? existing?.indexes ?? [], collection, errors);
  if (Object.keys(errors).length > 0) {
    throw new ValidationFailed(errors, failMessage);
  }
  return collection;
}

function resolveId(input: Obj, existing: CollectionModel | undefined, type: string, name: string, others: readonly CollectionModel[], errors: Obj): string {
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
    return String(id);
  }
  const baseId = `pbc_${crc32(type + name)}`;
  let candidate = baseId;
  for (let i = 2; others.some((c) => c.id === candidate); i++) {
    candidate = `${baseId}${i}`;
  }
  return candidate;
}

function buildFields(given: unknown, existing: CollectionModel | undefined, type: CollectionType, errors: Obj): FieldModel[] {
  if (given !== undefined && !Array.isArray(given)) {
    errors.fields = err('validation_invalid_value', 'Must be a list of fields.');
    return existing?.fields ?? [idField()];
  }
  const list = (given as unknown[] | undefined) ?? existing?.fields ?? [];
  const fieldErrors: Obj = {};
  const out: FieldModel[] = [];
  list.forEach((raw, i) => {
    const problems: Obj = {};
    if (!isObj(raw)) {
      fieldErrors[String(i)] = err('validation_invalid_value', 'Must be an object.');
      return;
    }
    const name = raw.name;
    const fieldType = raw.type;
    if (typeof name !== 'string' || name === '') {
      problems.name = err('validation_required', 'Cannot be blank.');
    } else if (!NAME.test(name) || name.length > 100 || name.includes('_via_') || RESERVED_FIELD_NAMES.includes(name.toLowerCase()) || (type === 'auth' && ['passwordconfirm', 'oldpassword'].includes(name.toLowerCase()))) {
      problems.name = err('validation_field_invalid_name', 'Invalid or reserved field name.');
    } else if (out.some((f) => f.name.toLowerCase() === name.toLowerCase())) {
      problems.name = err('validation_field_name_duplicate', 'Duplicated or invalid field name.');
    }
    if (!isFieldType(fieldType)) {
      problems.type = err('validation_invalid_field_type', 'Unknown field type.');
    }
    const id = typeof raw.id === 'string' && raw.id !== '' ? raw.id : `${String(fieldType)}${crc32(String(name))}`;
    const previous = existing?.fields.find((f) => f.id === id);
    if (previous && previous.type !== fieldType) {
      problems.type = err('validation_field_type_change', 'The type of an existing field cannot be changed.');
    }
    if (previous?.system && previous.name !== name) {
      problems.name = err('validation_system_field_change', 'System fields cannot be renamed.');
    }
    if (out.some((f) => f.id === id)) {
      problems.id = err('validation_field_id_duplicate', 'Duplicated field id.');
    }
    const field: FieldModel = { ...(previous ?? {}), ...raw, id, name: String(name), type: fieldType as FieldModel['type'], system: previous?.system ?? false, hidden: raw.hidden === true, presentable: raw.presentable === true };
    if (field.type === 'relation' && previous && previous.collectionId !== field.collectionId) {
      problems.collectionId = err('validation_field_relation_change', 'The relation collection cannot be changed.');
    }
    if (typeof field.help === 'string' && field.help.length > 300) {
      problems.help = err('validation_length_out_of_range', 'Must be at most 300 characters.');
    }
    if (isFieldType(fieldType)) {
      Object.assign(problems, FIELD_KINDS[fieldType].checkOptions(field));
    }
    if (Object.keys(problems).length > 0) {
      fieldErrors[String(i)] = problems;
    }
    out.push(field);
  });
  // System fields can't be removed: put back the missing ones.
  const required = [idField(), ...(type === 'auth' ? authSystemFields() : []), ...(existing?.fields.filter((f) => f.system) ?? [])];
  for (const sys of required.reverse()) {
    if (!out.some((f) => f.name === sys.name)) {
      out.unshift(sys);
    }
  }
  const idf = out.find((f) => f.name === 'id');
  if (idf && (idf.type !== 'text' || !idf.primaryKey)) {
    fieldErrors.id = err('validation_invalid_id_field', 'The id field must be the text primary key.');
  }
  if (Object.keys(fieldErrors).length > 0) {
    errors.fields = fieldErrors;
  }
  return out;
}

function buildIndexes(given: unknown, collection: CollectionModel, errors: Obj): string[] {
  if (!Array.isArray(given)) {
    errors.indexes = err('validation_invalid_value', 'Must be a list of CREATE INDEX statements.');
    return [];
  }
  const parsed: ParsedIndex[] = [];
  const indexErrors: Obj = {};
  const names = new Set(collection.fields.map((f) => f.name));
  given.forEach((sql, i) => {
    const index = parseIndex(String(sql));
    if ('code' in index) {
      indexErrors[String(i)] = index;
    } else if (index.columns.some((c) => !names.has(c)) || (index.where && !SAFE_WHERE.test(index.where))) {
      indexErrors[String(i)] = err('validation_invalid_index_expression', 'Unknown column or unsupported WHERE clause.');
    } else if (parsed.some((p) => p.name.toLowerCase() === index.name.toLowerCase())) {
      indexErrors[String(i)] = err('validation_duplicated_index_name', 'Duplicated index name.');
    } else {
      parsed.push(index);
    }
  });
  if (collection.type === 'auth') {
    for (const sql of authIndexes(collection.name)) {
      const index = parseIndex(sql) as ParsedIndex;
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
