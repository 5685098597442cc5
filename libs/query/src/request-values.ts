import type { Binder } from './sql-fragment';

function own(obj: Record<string, unknown> | null | undefined, key: string): unknown {
  return obj && Object.prototype.hasOwnProperty.call(obj, key) ? obj[key] : undefined;
}

function hasOwn(obj: Record<string, unknown> | null | undefined, key: string): boolean {
  return !!obj && Object.prototype.hasOwnProperty.call(obj, key);
}

/** Header names as rules spell them: lower-cased, `-` → `_`. */
export function normalizeHeaderName(name: string): string {
  return name.toLowerCase().replace(/-/g, '_');
}

function findHeader(headers: Record<string, string>, key: string): string | undefined {
  const wanted = normalizeHeaderName(key);
  for (const name of Object.keys(headers)) {
    if (normalizeHeaderName(name) === wanted) {
      const value: unknown = headers[name];
      return Array.isArray(value) ? String(value[0]) : String(value);
    }
  }
  return undefined;
}

export type RequestSection = 'auth' | 'body' | 'query' | 'headers';

/** Reads `@request.<section>.<key>` from the request being bound (undefined when absent). */
export function requestValue(section: RequestSection, key: string): Binder {
  switch (section) {
    case 'auth':
      return (ctx) => own(ctx.request.auth, key);
    case 'body':
      return (ctx) => own(ctx.request.body, key);
    case 'query':
      return (ctx) => {
        const value = own(ctx.request.query, key);
        return Array.isArray(value) ? (value as unknown[])[0] : value;
      };
    case 'headers':
      return (ctx) => findHeader(ctx.request.headers ?? {}, key);
  }
}

/** `:isset`: whether the key was present in the request. */
export function requestIsSet(section: RequestSection, key: string): Binder {
  switch (section) {
    case 'auth':
      return (ctx) => hasOwn(ctx.request.auth, key);
    case 'body':
      return (ctx) => hasOwn(ctx.request.body, key);
    case 'query':
      return (ctx) => hasOwn(ctx.request.query, key);
    case 'headers':
      return (ctx) => findHeader(ctx.request.headers ?? {}, key) !== undefined;
  }
}

/** A value as a JSON array text for json_each(): arrays as they are, empty values as `[]`, others as `[value]`. */
export function asJsonArray(value: unknown): string {
  if (Array.isArray(value)) {
    return JSON.stringify(value.map((v: unknown) => (typeof v === 'boolean' ? (v ? 1 : 0) : v)));
  }
  if (value === undefined || value === null || value === '') {
    return '[]';
  }
  return JSON.stringify([typeof value === 'boolean' ? (value ? 1 : 0) : value]);
}
