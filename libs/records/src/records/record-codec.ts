import { FIELD_KINDS, type CollectionModel, type FieldModel } from '@lib/schema';

/** A record's stored values by field name (typed: numbers, booleans, arrays), as services handle it. */
export type RecordData = Record<string, unknown>;

/** Turns a database row into typed values. */
export function fromRow(collection: CollectionModel, row: Record<string, unknown>): RecordData {
  const out: RecordData = {};
  for (const field of collection.fields) {
    out[field.name] = FIELD_KINDS[field.type].fromDb(row[field.name], field);
  }
  return out;
}

/** One field's typed value of a row (undefined: no such field), as `fromRow` gives it. */
export function fromRowValue(collection: CollectionModel, row: Record<string, unknown>, name: string): unknown {
  const field = collection.fields.find((f) => f.name === name);
  return field ? FIELD_KINDS[field.type].fromDb(row[name], field) : undefined;
}

/** The column values to write for the given fields. */
export function toColumns(collection: CollectionModel, data: RecordData): { names: string[]; values: unknown[] } {
  const names: string[] = [];
  const values: unknown[] = [];
  for (const field of collection.fields) {
    if (field.name in data) {
      names.push(field.name);
      values.push(FIELD_KINDS[field.type].toDb(data[field.name], field));
    }
  }
  return { names, values };
}

export interface ExportOptions {
  /** Superusers see hidden fields. */
  isSuperuser: boolean;
  /** The requester may see this auth record's email (owner, superuser or manageRule match). */
  showEmail?: boolean;
}

/** Whether `field` is in the record JSON a requester gets (`emailVisible`: the record's `emailVisibility`). */
function exported(
  collection: CollectionModel,
  field: FieldModel,
  options: ExportOptions,
  emailVisible: boolean,
): boolean {
  const isAuth = collection.type === 'auth';
  if (field.type === 'password' || (isAuth && field.name === 'tokenKey')) {
    return false;
  }
  if (field.hidden && !options.isSuperuser) {
    return false;
  }
  return !(isAuth && field.name === 'email' && !options.showEmail && !options.isSuperuser && !emailVisible);
}

/** The record JSON PocketBase sends: collection info, visible fields in schema order. */
export function exportRecord(
  collection: CollectionModel,
  data: RecordData,
  options: ExportOptions,
): Record<string, unknown> {
  const out: Record<string, unknown> = { collectionId: collection.id, collectionName: collection.name };
  const emailVisible = data.emailVisibility === true;
  for (const field of collection.fields) {
    if (exported(collection, field, options, emailVisible)) {
      out[field.name] = data[field.name];
    }
  }
  return out;
}

/**
 * `exportRecord(collection, fromRow(collection, row), options)` in one pass, for a row nothing else reads typed
 * (a list or view without `expand` or an enrich hook): no typed copy of each record in between.
 */
export function exportRow(
  collection: CollectionModel,
  row: Record<string, unknown>,
  options: ExportOptions,
): Record<string, unknown> {
  const out: Record<string, unknown> = { collectionId: collection.id, collectionName: collection.name };
  const emailVisible = collection.type === 'auth' && fromRowValue(collection, row, 'emailVisibility') === true;
  for (const field of collection.fields) {
    if (exported(collection, field, options, emailVisible)) {
      out[field.name] = FIELD_KINDS[field.type].fromDb(row[field.name], field);
    }
  }
  return out;
}

export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}
