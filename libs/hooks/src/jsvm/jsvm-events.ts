import type { HookRecord } from '../hook-record';
import type { HookData, RecordEvent, RecordRequestEvent, RouteEvent } from '../hook-types';
import { jsvmApp } from './jsvm-app';
import { queued, type JsvmHost } from './jsvm-context';
import { requestCookie, type Cookie } from './jsvm-cookie';
import { BodyReader } from './jsvm-reader';

type Obj = Record<string, unknown>;

/** PocketBase's `requestInfo().headers`: lower-case names with `-` as `_`. */
function infoHeaders(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase().replace(/-/g, '_'), v]));
}

/** `e.request.header.get(name)`, any case; also where the names came with `-` as `_` (a route's headers). */
function header(headers: Record<string, string>) {
  const lower = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
  return {
    get: (name: string) => lower[name.toLowerCase()] ?? lower[name.toLowerCase().replace(/-/g, '_')] ?? '',
  };
}

function urlOf(url: string, query: Record<string, string>) {
  const [path, rawQuery = ''] = url.split('?', 2);
  return {
    path,
    rawQuery,
    string: () => url,
    query: () => ({ get: (k: string) => query[k] ?? '', has: (k: string) => k in query }),
  };
}

/** What every event of a hook file has: `e.app` (the handler's data helpers) and `e.next()`, queued in order. */
function base(host: JsvmHost, file: string, e: { app: HookData; next(): Promise<void> }) {
  return { app: jsvmApp(host, file, e.app), next: () => queued(() => e.next()) };
}

/** The `e` of `routerAdd` / `routerUse` handlers (PocketBase's `core.RequestEvent`). */
export function requestEvent(host: JsvmHost, file: string, e: RouteEvent) {
  const r = e.request;
  return {
    ...base(host, file, e),
    auth: e.auth,
    request: {
      method: r.method,
      url: urlOf(r.url, r.query),
      header: header(r.headers),
      remoteAddr: r.ip,
      host: r.headers.host ?? '',
      pathValue: (name: string) => r.params[name] ?? (r.params['*'] !== undefined ? (r.params['*'] ?? '') : ''),
      cookie: (name: string) => requestCookie(r.headers.cookie, name),
      body: new BodyReader(r.raw ?? Buffer.alloc(0)),
    },
    response: { header: () => ({ set: (name: string, value: string) => e.setHeader(name, value) }) },
    setCookie: (cookie: Cookie) => {
      const value = cookie.string();
      if (value !== '') {
        e.setHeader('set-cookie', value);
      }
    },
    requestInfo: () => ({
      method: r.method,
      query: r.query,
      headers: infoHeaders(r.headers),
      body: r.body,
      auth: e.auth,
      context: 'default',
    }),
    /** Copies the body's values into `target` (its own keys only, when it has any: a `DynamicModel`'s shape). */
    bindBody: (target: Record<string, unknown>) => {
      const keys = Object.keys(target);
      for (const [key, value] of Object.entries(r.body)) {
        if (keys.length === 0 || keys.includes(key)) {
          target[key] = value;
        }
      }
      return target;
    },
    realIP: () => r.ip,
    remoteIP: () => r.ip,
    hasSuperuserAuth: () => e.auth?.isSuperuser() ?? false,
    isTLS: () => r.headers['x-forwarded-proto'] === 'https',
    json: (status: number, body: unknown) => e.json(status, body),
    string: (status: number, text: string) => e.string(status, text),
    html: (status: number, html: string) => e.html(status, html),
    noContent: (status = 204) => e.noContent(status),
    redirect: (status: number, url: string) => e.redirect(status, url),
    blob: (status: number, type: string, bytes: Uint8Array | string) => e.blob(status, type, bytes),
  };
}

/** `onRecordCreate`, `onRecordAfterCreateSuccess` … (PocketBase's `core.RecordEvent`). */
export function recordEvent(host: JsvmHost, file: string, e: RecordEvent) {
  return {
    ...base(host, file, e),
    record: e.record,
    collection: e.collection,
    type: e.action,
    context: e.request.context,
    auth: e.auth,
  };
}

/**
 * The record request hooks: `e.record` (create / update: the body applied; changes go into the write). On SQLite it
 * is read when first used; where reads are asynchronous (PostgreSQL), `ready()` reads it before the handler runs.
 */
export function recordRequestEvent(host: JsvmHost, file: string, e: RecordRequestEvent) {
  const sync = e.app.sync ?? null;
  const reads = sync ? null : (e.app.reads ?? null);
  let record: HookRecord | null | undefined;
  let missing: { error: unknown } | null = null;
  let loaded: Obj = {};
  const stored = () => e.kind !== 'auth' && e.kind !== 'create' && e.recordId !== undefined;
  const loadedFrom = (found: HookRecord | null) => {
    record = found;
    if (found && (e.kind === 'create' || stored())) {
      Object.assign(found.values(), e.body ?? {});
    }
    loaded = { ...(found?.values() ?? {}) };
    return found;
  };
  const load = (): HookRecord | null => {
    if (missing) {
      throw missing.error;
    }
    if (record !== undefined) {
      return record;
    }
    if (!sync && !reads) {
      return (record = null);
    }
    if (e.kind === 'auth') {
      return loadedFrom(e.record ?? null);
    }
    if (e.kind === 'create') {
      return loadedFrom(e.app.newRecord(e.collection.id));
    }
    return loadedFrom(sync && e.recordId ? sync.findRecordById(e.collection.id, e.recordId) : null);
  };
  const ready = async () => {
    if (reads && stored()) {
      try {
        loadedFrom(await reads.findRecordById(e.collection.id, e.recordId!));
      } catch (error) {
        missing = { error };
      }
    }
  };
  const info = () => ({
    method: e.request.method,
    query: e.request.query,
    headers: infoHeaders(e.request.headers),
    body: e.body ?? {},
    auth: e.auth,
    context: e.request.context,
  });
  const event = {
    app: jsvmApp(host, file, e.app),
    collection: e.collection,
    auth: e.auth,
    get record() {
      return load();
    },
    get response() {
      return e.response;
    },
    get result() {
      return e.response;
    },
    request: { method: e.request.method, header: header(e.request.headers), url: urlOf('', e.request.query) },
    requestInfo: info,
    hasSuperuserAuth: () => e.auth?.isSuperuser() ?? false,
    json: (status: number, body: unknown) => e.json(status, body),
    next: () =>
      queued(async () => {
        if (record && e.body && (e.kind === 'create' || e.kind === 'update')) {
          for (const [key, value] of Object.entries(record.values())) {
            if (loaded[key] !== value) {
              e.body[key] = value;
            }
          }
        }
        await e.next();
        const id =
          (e.response as { id?: unknown } | null)?.id ?? (e.response as { record?: { id?: unknown } })?.record?.id;
        if (typeof id === 'string' && e.kind !== 'delete' && (sync || reads)) {
          missing = null;
          record = sync ? sync.findRecordById(e.collection.id, id) : await reads!.findRecordById(e.collection.id, id);
        }
      }),
  };
  return { event, ready };
}

/**
 * Lifecycle, mailer and the other events: their own fields (read and assigned through, `e.subscriptions = […]`
 * changes the event), `e.app` and `e.next()`.
 */
export function plainEvent<E extends { app: HookData; next(): Promise<void> }>(host: JsvmHost, file: string, e: E) {
  const own: Record<string, unknown> = base(host, file, e);
  return new Proxy(e, {
    get: (target, key) => (typeof key === 'string' && key in own ? own[key] : Reflect.get(target, key)),
    set: (target, key, value) => {
      if (typeof key === 'string' && key in own) {
        own[key] = value;
        return true;
      }
      return Reflect.set(target, key, value);
    },
  });
}
