import type { RecordData } from '@lib/records';
import type { CollectionModel } from '@lib/schema';

interface HookRecordLike {
  values(): RecordData;
  collection(): { id: string };
}

const isHookRecord = (v: unknown): v is HookRecordLike =>
  typeof v === 'object' && v !== null && typeof (v as HookRecordLike).values === 'function';

/**
 * The record a hook left in `e.record` (a hook record, with the hook's changes, or the plain data it was given), as
 * plain data of collection `c`: null when there is none or it belongs to another collection.
 */
export function hookedRecord(value: unknown, c: CollectionModel): RecordData | null {
  if (isHookRecord(value)) {
    return value.collection().id === c.id ? { ...value.values() } : null;
  }
  return typeof value === 'object' && value !== null ? (value as RecordData) : null;
}

interface RequestLike {
  method: string;
  query: Record<string, string>;
  headers: Record<string, string>;
  context: string;
  ip?: string;
}

/**
 * What a sign-in hook's event has of PocketBase's request event: `e.request` (`method`, `header.get`,
 * `url.query().get`), `e.requestInfo()` (headers as PocketBase names them: lower case, `_` for `-`), `e.realIP()`.
 */
export function requestFields(req: RequestLike, body: Record<string, unknown>) {
  // a record request's headers are named as the rules read them already (`user_agent`); both forms are accepted
  const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [pbName(k), v]));
  return {
    request: {
      method: req.method,
      header: { get: (name: string) => headers[pbName(name)] ?? '' },
      url: { query: () => ({ get: (k: string) => req.query[k] ?? '', has: (k: string) => k in req.query }) },
      remoteAddr: req.ip ?? '',
    },
    requestInfo(this: { auth?: unknown }) {
      return { method: req.method, query: req.query, headers, body, auth: this.auth ?? null, context: req.context };
    },
    realIP: () => req.ip ?? '',
  };
}

/** A header name as PocketBase's `requestInfo().headers` has it: lower case, `_` for `-`. */
const pbName = (name: string) => name.toLowerCase().replace(/-/g, '_');
