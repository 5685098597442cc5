/** A record as the SDK returns it: its values, and `expand` when relations were expanded. */
export interface RecordLike {
  id: string;
  expand?: Record<string, unknown>;
  [key: string]: unknown;
}
interface FieldLike {
  name: string;
  type: string;
  presentable?: boolean;
}

/** Names tried when a collection marks no field presentable (then the id). */
const FALLBACK_NAMES = ['title', 'name', 'email', 'username', 'label'];

function text(value: unknown): string {
  if (value === null || value === undefined) {
    return '';
  }
  if (Array.isArray(value)) {
    return value.map(text).filter(Boolean).join(', ');
  }
  if (typeof value === 'object') {
    return JSON.stringify(value);
  }
  const plain = String(value)
    .replace(/<[^>]*>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return plain.length > 60 ? `${plain.slice(0, 60)}…` : plain;
}

/**
 * A related record's short name, as the records table and the relation picker show it: the values of its
 * collection's presentable fields, else a title/name/email-like value, else its id.
 */
export function recordLabel(record: RecordLike, fields: readonly FieldLike[] | undefined): string {
  const presentable = (fields ?? []).filter((f) => f.presentable && f.type !== 'password');
  const shown = presentable.map((f) => text(record[f.name])).filter(Boolean);
  if (shown.length) {
    return shown.join(', ');
  }
  const fallback = FALLBACK_NAMES.map((name) => text(record[name])).find(Boolean);
  return fallback ?? record.id;
}

/** The `expand` of a records list: its visible relation columns (as PocketBase's dashboard asks for them). */
export function expandFor(fields: readonly FieldLike[], hidden: readonly string[]): string {
  return fields
    .filter((f) => f.type === 'relation' && !hidden.includes(f.name))
    .map((f) => f.name)
    .join(',');
}

/** The related records of one relation cell, in the order of the ids, `null` where none was expanded. */
export function relatedRecords(record: RecordLike, field: string): { id: string; record: RecordLike | null }[] {
  const raw = record[field];
  const ids = (Array.isArray(raw) ? raw : raw ? [raw] : []).map(String);
  const expanded = record.expand?.[field];
  const list = (Array.isArray(expanded) ? expanded : expanded ? [expanded] : []) as RecordLike[];
  return ids.map((id) => ({ id, record: list.find((r) => r?.id === id) ?? null }));
}
