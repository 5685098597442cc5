import { FIELD_KINDS, type CollectionModel } from '@lib/schema';

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

/** The record JSON PocketBase sends: collection info, visible fields in schema order. */
export function exportRecord(
  collection: CollectionModel,
  data: RecordData,
  options: ExportOptions,
): Record<string, unknown> {
  const out: Record<string, unknown> = { collectionId: collection.id, collectionName: collection.name };
  const isAuth = collection.type === 'auth';
  for (const field of collection.fields) {
    if (field.type === 'password' || (isAuth && field.name === 'tokenKey')) {
      continue;
    }
    if (field.hidden && !options.isSuperuser) {
      continue;
    }
    if (
      isAuth &&
      field.name === 'email' &&
      !options.showEmail &&
      !options.isSuperuser &&
      data.emailVisibility !== true
    ) {
      continue;
    }
    out[field.name] = data[field.name];
  }
  return out;
}

export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}
