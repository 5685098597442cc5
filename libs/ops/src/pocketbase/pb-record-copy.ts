import BetterSqlite3 from 'better-sqlite3';
import { FIELD_KINDS, type CollectionModel, type FieldModel } from '@lib/schema';
import type { PocketBaseSource } from './pocketbase-source';

/** Progress of a long step: `done` of `total` units of `label`. */
export type ImportProgress = (label: string, done: number, total: number) => void;

const ident = (name: string) => `"${name.replace(/"/g, '""')}"`;
const BATCH = 5000;

/** One stored value in nestbase's column form; JSON text stays byte for byte as PocketBase wrote it. */
function columnValue(field: FieldModel, raw: unknown): unknown {
  if ((field.type === 'json' || field.type === 'geoPoint') && typeof raw === 'string') {
    return raw;
  }
  const value = FIELD_KINDS[field.type].toDb(FIELD_KINDS[field.type].fromDb(raw, field), field);
  if (typeof value === 'boolean') {
    return value ? 1 : 0;
  }
  return value === undefined ? null : value;
}

/** `_mfas` and `_otps` rows still within their collection's MFA / OTP duration; the others are dead. */
function liveFilter(
  collection: CollectionModel,
  all: readonly CollectionModel[],
  now: number,
): ((row: Record<string, unknown>) => boolean) | undefined {
  const option = collection.name === '_mfas' ? 'mfa' : collection.name === '_otps' ? 'otp' : null;
  if (!option) {
    return undefined;
  }
  const seconds = new Map(
    all.map((c) => [c.id, Number((c[option] as { duration?: unknown } | undefined)?.duration ?? 0)]),
  );
  return (row) => {
    const created = Date.parse(typeof row.created === 'string' ? row.created.replace(' ', 'T') : '');
    return Number.isFinite(created) && created + (seconds.get(String(row.collectionRef)) ?? 0) * 1000 > now;
  };
}

export interface CopiedCollection {
  name: string;
  type: string;
  records: number;
}

/**
 * Copies every record of every table collection from the PocketBase snapshot into nestbase's `data.db`
 * (`target`, not open elsewhere), ids and values kept: password hashes and token keys as they are, created and
 * updated as PocketBase stamped them. Returns the counts and the report lines of what was left out.
 */
export function copyRecords(
  source: PocketBaseSource,
  target: string,
  collections: readonly CollectionModel[],
  progress: ImportProgress,
  now = Date.now(),
): { copied: CopiedCollection[]; skipped: string[] } {
  const db = new BetterSqlite3(target);
  // The target is a staging copy thrown away on any failure: no journal, no waiting for the disk; the WAL mode
  // nestbase runs in comes back at the end.
  db.pragma('journal_mode = OFF');
  db.pragma('synchronous = OFF');
  db.pragma('cache_size = -32000');
  const copied: CopiedCollection[] = [];
  const skipped: string[] = [];
  try {
    for (const collection of collections) {
      if (collection.type === 'view') {
        copied.push({ name: collection.name, type: 'view', records: source.count(collection.name) });
        continue;
      }
      const present = new Set(source.columns(collection.name));
      const fields = collection.fields.filter((f) => present.has(f.name));
      const extra = [...present].filter((name) => !collection.fields.some((f) => f.name === name));
      if (extra.length > 0) {
        skipped.push(`${collection.name}: column(s) ${extra.join(', ')} not in the collection's fields, not copied`);
      }
      const keep = liveFilter(collection, collections, now);
      const result = copyTable(db, source, collection.name, fields, keep, progress);
      if (result.dropped > 0) {
        skipped.push(`${collection.name}: ${result.dropped} expired row(s) not copied`);
      }
      copied.push({ name: collection.name, type: collection.type, records: result.copied });
    }
  } finally {
    db.pragma('journal_mode = WAL');
    db.close();
  }
  return { copied, skipped };
}

function copyTable(
  db: BetterSqlite3.Database,
  source: PocketBaseSource,
  table: string,
  fields: FieldModel[],
  keep: ((row: Record<string, unknown>) => boolean) | undefined,
  progress: ImportProgress,
): { copied: number; dropped: number } {
  const total = source.count(table);
  const insert = db.prepare(
    `INSERT INTO ${ident(table)} (${fields.map((f) => ident(f.name)).join(', ')}) VALUES (${fields.map(() => '?').join(', ')})`,
  );
  let batch: unknown[][] = [];
  const flush = db.transaction((rows: unknown[][]) => {
    for (const values of rows) {
      insert.run(values);
    }
  });
  let seen = 0;
  let dropped = 0;
  progress(table, 0, total);
  for (const row of source.rows(table)) {
    seen++;
    if (keep && !keep(row)) {
      dropped++;
      continue;
    }
    batch.push(fields.map((f) => columnValue(f, row[f.name])));
    if (batch.length >= BATCH) {
      flush(batch);
      batch = [];
      progress(table, seen, total);
    }
  }
  flush(batch);
  progress(table, total, total);
  return { copied: seen - dropped, dropped };
}
