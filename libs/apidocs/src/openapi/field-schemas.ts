import { isMultiple, type CollectionModel, type FieldModel } from '@lib/schema';

/** A JSON Schema (OpenAPI 3.1 dialect) as plain data. */
export type JsonSchema = Record<string, unknown>;

/** Fields a client never sends: server-managed values. */
const SERVER_MANAGED = new Set(['autodate']);
/** Auth system fields that are never read back (`password`) or never written by a client (`tokenKey`). */
const WRITE_ONLY = new Set(['password']);

function describe(field: FieldModel, schema: JsonSchema): JsonSchema {
  const notes = [field.help, field.hidden ? 'Hidden: only superusers see it.' : ''].filter(Boolean);
  return notes.length ? { ...schema, description: notes.join(' ') } : schema;
}

function textSchema(field: FieldModel): JsonSchema {
  const schema: JsonSchema = { type: 'string' };
  const min = Number(field.min ?? 0);
  const max = Number(field.max ?? 0);
  if (field.type === 'text' && min > 0 && field.required) {
    schema.minLength = min;
  }
  if (field.type === 'text' && max > 0) {
    schema.maxLength = max;
  }
  if (field.type === 'text' && field.pattern) {
    schema.pattern = field.pattern;
  }
  if (field.type === 'email') {
    schema.format = 'email';
  }
  if (field.type === 'url') {
    schema.format = 'uri';
  }
  return schema;
}

/** One value of a field as the API returns it (files: stored file names; relations: record ids). */
export function valueSchema(field: FieldModel): JsonSchema {
  const many = isMultiple(field);
  const list = (item: JsonSchema): JsonSchema =>
    many ? { type: 'array', items: item, ...(field.maxSelect ? { maxItems: field.maxSelect } : {}) } : item;
  switch (field.type) {
    case 'text':
    case 'email':
    case 'url':
    case 'editor':
    case 'password':
      return textSchema(field);
    case 'number': {
      const schema: JsonSchema = { type: field.onlyInt ? 'integer' : 'number' };
      if (typeof field.min === 'number') {
        schema.minimum = field.min;
      }
      if (typeof field.max === 'number') {
        schema.maximum = field.max;
      }
      return schema;
    }
    case 'bool':
      return { type: 'boolean' };
    case 'date':
    case 'autodate':
      return { type: 'string', description: 'UTC date `YYYY-MM-DD HH:MM:SS.sssZ`, or "" when empty.' };
    case 'select': {
      const values = [...(field.values ?? [])];
      return list({ type: 'string', enum: many || field.required ? values : [...values, ''] });
    }
    case 'relation':
      return list({ type: 'string', description: 'A record id of the related collection.' });
    case 'file':
      return list({
        type: 'string',
        description: 'A stored file name (download: /api/files/{collection}/{id}/{name}).',
      });
    case 'json':
      return {};
    case 'geoPoint':
      return {
        type: 'object',
        properties: { lon: { type: 'number' }, lat: { type: 'number' } },
        required: ['lon', 'lat'],
      };
  }
}

/** The record as every read returns it: system keys, every visible field, `expand` on request. */
export function recordSchema(collection: CollectionModel): JsonSchema {
  const properties: Record<string, JsonSchema> = {
    collectionId: { type: 'string', const: collection.id },
    collectionName: { type: 'string', const: collection.name },
  };
  const required = ['collectionId', 'collectionName'];
  for (const field of collection.fields) {
    if (WRITE_ONLY.has(field.type) || field.name === 'tokenKey') {
      continue;
    }
    properties[field.name] = describe(field, valueSchema(field));
    if (!field.hidden && !(collection.type === 'auth' && field.name === 'email')) {
      required.push(field.name);
    }
  }
  properties.expand = {
    type: 'object',
    description: 'The related records asked for with `expand`, keyed by relation field (or back-relation) name.',
    additionalProperties: true,
  };
  return { type: 'object', properties, required };
}

/** What a create (`update = false`) or update body may hold, as JSON. */
export function inputSchema(collection: CollectionModel, update: boolean): JsonSchema {
  const properties: Record<string, JsonSchema> = {};
  const required: string[] = [];
  for (const field of collection.fields) {
    if (SERVER_MANAGED.has(field.type) || field.name === 'tokenKey') {
      continue;
    }
    if (field.primaryKey && update) {
      continue;
    }
    properties[field.name] = describe(field, inputValueSchema(field));
    const hasDefault = field.primaryKey || (field.type === 'text' && field.autogeneratePattern);
    if (!update && field.required && !hasDefault && field.type !== 'bool') {
      required.push(field.name);
    }
  }
  if (collection.type === 'auth') {
    properties.passwordConfirm = { type: 'string', description: 'Must equal `password`.' };
    if (!update) {
      required.push('passwordConfirm');
    } else {
      properties.oldPassword = {
        type: 'string',
        description: 'The current password: needed to change `password` without manage access.',
      };
    }
  }
  for (const field of collection.fields) {
    Object.assign(properties, modifierSchemas(field));
  }
  return { type: 'object', properties, ...(required.length ? { required } : {}) };
}

/** Input values: as output, except that files are uploads (multipart) and a single file may be cleared. */
function inputValueSchema(field: FieldModel): JsonSchema {
  if (field.type === 'file') {
    const upload: JsonSchema = { type: 'string', format: 'binary' };
    return isMultiple(field) ? { type: 'array', items: upload } : upload;
  }
  if (field.type === 'json') {
    return { description: 'Any JSON value.' };
  }
  return valueSchema(field);
}

/** The `name+`, `+name`, `name-` and `name:autogenerate` keys a field accepts (reference §2.1). */
function modifierSchemas(field: FieldModel): Record<string, JsonSchema> {
  const many = isMultiple(field);
  const out: Record<string, JsonSchema> = {};
  if (field.type === 'number') {
    out[`${field.name}+`] = { type: 'number', description: 'Adds to the stored value.' };
    out[`${field.name}-`] = { type: 'number', description: 'Subtracts from the stored value.' };
  }
  if (many && (field.type === 'select' || field.type === 'relation')) {
    const item = valueSchema(field).items as JsonSchema;
    const ids = { anyOf: [item, { type: 'array', items: item }] };
    out[`${field.name}+`] = { ...ids, description: 'Appends values.' };
    out[`+${field.name}`] = { ...ids, description: 'Prepends values.' };
    out[`${field.name}-`] = { ...ids, description: 'Removes values.' };
  }
  if (field.type === 'file') {
    const upload = { type: 'array', items: { type: 'string', format: 'binary' } };
    if (many) {
      out[`${field.name}+`] = { ...upload, description: 'Appends uploads.' };
      out[`+${field.name}`] = { ...upload, description: 'Prepends uploads.' };
    }
    out[`${field.name}-`] = {
      anyOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }],
      description: 'Deletes the named stored files.',
    };
  }
  if (field.type === 'text' && field.autogeneratePattern && !field.primaryKey) {
    out[`${field.name}:autogenerate`] = {
      type: 'string',
      description: 'A prefix; the rest is generated from the autogenerate pattern.',
    };
  }
  return out;
}

/** True when a create or update needs multipart/form-data (the collection has a file field). */
export function hasFiles(collection: CollectionModel): boolean {
  return collection.fields.some((f) => f.type === 'file');
}
