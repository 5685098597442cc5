import type { CollectionModel } from '@lib/schema';
import { hasFiles, inputSchema, recordSchema, type JsonSchema } from './field-schemas';
import { errors, json, listOf, ok, paramRef, ref, type Operation, type PathItem } from './openapi-common';

/** The schema-component prefix of a collection: its name (PocketBase names are `[A-Za-z0-9_]`). */
export function schemaName(collection: CollectionModel, suffix: string): string {
  return `${collection.name}.${suffix}`;
}

/** A rule as a sentence of the operation's description. */
export function ruleText(label: string, rule: string | null | undefined): string {
  if (rule === null || rule === undefined) {
    return `**${label}**: \`null\` (locked): superusers only; anyone else gets 403.`;
  }
  if (rule.trim() === '') {
    return `**${label}**: \`""\` (empty): anyone, guests included.`;
  }
  return `**${label}**: \`${rule.replace(/`/g, "'")}\``;
}

/** The components a collection's operations refer to: its record, list, create and update schemas. */
export function recordComponents(collection: CollectionModel): Record<string, JsonSchema> {
  const out: Record<string, JsonSchema> = {
    [schemaName(collection, 'Record')]: recordSchema(collection),
    [schemaName(collection, 'List')]: listOf(ref(schemaName(collection, 'Record'))),
  };
  if (collection.type !== 'view') {
    out[schemaName(collection, 'Create')] = inputSchema(collection, false);
    out[schemaName(collection, 'Update')] = inputSchema(collection, true);
  }
  return out;
}

/** A create/update body: JSON, or multipart/form-data (needed for files) with the same keys. */
function writeBody(collection: CollectionModel, kind: 'Create' | 'Update'): Record<string, unknown> {
  const schema = ref(schemaName(collection, kind));
  const files = hasFiles(collection);
  return {
    required: kind === 'Create',
    description:
      (files ? 'Uploads need multipart/form-data: each file is a part under its field name. ' : '') +
      'In a form, values that are not files go as form values or as JSON in a `@jsonPayload` part.',
    content: files
      ? { 'multipart/form-data': { schema }, ...json(schema) }
      : { ...json(schema), 'multipart/form-data': { schema } },
  };
}

/** The CRUD operations of one collection: list and view, and for base/auth collections create/update/delete. */
export function recordPaths(collection: CollectionModel): Record<string, PathItem> {
  const name = collection.name;
  const tag = name;
  const record = ref(schemaName(collection, 'Record'));
  const base = `/api/collections/${name}/records`;
  const kind = collection.type === 'view' ? 'view collection' : `${collection.type} collection`;
  const opId = (verb: string) => `${verb}_${name}`;
  const read = [paramRef('expand'), paramRef('fields')];
  const byId = [paramRef('recordId'), ...read];
  const describe = (text: string, label: string, rule: string | null | undefined) =>
    [text, ruleText(label, rule)].join('\n\n');
  const list: Operation = {
    tags: [tag],
    operationId: opId('list'),
    summary: `List ${name} records`,
    description: describe(
      `Records of the ${kind} \`${name}\`, paged. Rows the rule doesn't match are left out (no error).`,
      'listRule',
      collection.listRule,
    ),
    parameters: [
      paramRef('page'),
      paramRef('perPage'),
      paramRef('sort'),
      paramRef('filter'),
      paramRef('skipTotal'),
      ...read,
    ],
    responses: { ...ok('A page of records.', ref(schemaName(collection, 'List'))), ...errors(400, 403) },
  };
  const view: Operation = {
    tags: [tag],
    operationId: opId('view'),
    summary: `View one ${name} record`,
    description: describe('One record by id; 404 also when the rule does not match.', 'viewRule', collection.viewRule),
    parameters: byId,
    responses: { ...ok('The record.', record), ...errors(403, 404) },
  };
  const paths: Record<string, PathItem> = { [base]: { get: list }, [`${base}/{id}`]: { get: view } };
  if (collection.type === 'view') {
    return paths;
  }
  paths[base].post = {
    tags: [tag],
    operationId: opId('create'),
    summary: `Create a ${name} record`,
    description: describe(
      'Answers 200 (not 201). A create the rule refuses answers 400.' +
        (collection.type === 'auth' ? ' `password` and `passwordConfirm` are required.' : ''),
      'createRule',
      collection.createRule,
    ),
    parameters: read,
    requestBody: writeBody(collection, 'Create'),
    responses: { ...ok('The created record.', record), ...errors(400, 403, 413) },
  };
  paths[`${base}/{id}`].patch = {
    tags: [tag],
    operationId: opId('update'),
    summary: `Update a ${name} record`,
    description: describe(
      'Partial update; the `name+`, `+name`, `name-` modifiers add, prepend or remove values.',
      'updateRule',
      collection.updateRule,
    ),
    parameters: byId,
    requestBody: writeBody(collection, 'Update'),
    responses: { ...ok('The updated record.', record), ...errors(400, 403, 404, 413) },
  };
  paths[`${base}/{id}`].delete = {
    tags: [tag],
    operationId: opId('delete'),
    summary: `Delete a ${name} record`,
    description: describe(
      'Relations pointing at the record are cleared (or cascade-deleted); its files are removed.',
      'deleteRule',
      collection.deleteRule,
    ),
    parameters: [paramRef('recordId')],
    responses: { ...ok('Deleted.', null, '204'), ...errors(400, 403, 404) },
  };
  return paths;
}
