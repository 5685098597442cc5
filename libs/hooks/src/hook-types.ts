import type { MailMessage } from '@lib/auth';
import type { Chained } from './hook-chain';
import type { HookCollection, HookRecord } from './hook-record';
import type { AwaitedFinders, SyncFinders } from './jsvm/sync-reads';

/** The request an operation runs for (record hooks of `app.save` calls get an internal one). */
export interface HookRequestInfo {
  method: string;
  headers: Record<string, string>;
  query: Record<string, string>;
  /** `@request.context`: default, batch, oauth2, otp, password … */
  context: string;
}

/** The data helpers every event carries as `e.app` (bound to the operation's transaction inside write hooks). */
export interface HookData {
  findRecordById(collection: string, id: string): Promise<HookRecord>;
  findFirstRecordByFilter(collection: string, filter: string, params?: Record<string, unknown>): Promise<HookRecord>;
  findRecordsByFilter(
    collection: string,
    filter?: string,
    sort?: string,
    limit?: number,
    offset?: number,
    params?: Record<string, unknown>,
  ): Promise<HookRecord[]>;
  /** A new, unsaved record of `collection`. */
  newRecord(collection: string, values?: Record<string, unknown>): HookRecord;
  /** Creates or updates the record (fields validated, rules skipped); it then holds the stored values. */
  save(record: HookRecord): Promise<void>;
  delete(record: HookRecord): Promise<void>;
  /** Runs `fn` in one transaction; `txApp` reads and writes inside it. Rolled back when `fn` throws. */
  runInTransaction<T>(fn: (txApp: HookData) => Promise<T>): Promise<T>;
  /** The same finders answered synchronously (SQLite only; PocketBase-style hook files use them). */
  readonly sync?: SyncFinders;
  /** Where they can't be (PostgreSQL): the finders PocketBase-style files await (see jsvm-transform). */
  readonly reads?: AwaitedFinders;
}

/** `onRecordCreate`/`Update`/`Delete` and the before/after hooks. */
export interface RecordEvent extends Chained {
  app: HookData;
  action: 'create' | 'update' | 'delete';
  record: HookRecord;
  collection: HookCollection;
  /** The authenticated record of the request (null for guests and for internal writes). */
  auth: HookRecord | null;
  request: HookRequestInfo;
  /** What failed the write (`onRecordAfter…Error` hooks). */
  error?: unknown;
}

/** The request hooks: the body may be changed before `e.next()`, the response after it. */
export interface RecordRequestEvent extends Chained {
  app: HookData;
  kind: 'list' | 'view' | 'create' | 'update' | 'delete' | 'auth';
  collection: HookCollection;
  auth: HookRecord | null;
  request: HookRequestInfo;
  /** The record id of the URL (view, update, delete). */
  recordId?: string;
  /** The request body (create, update). */
  body?: Record<string, unknown>;
  /** The authenticated record (auth requests). */
  record?: HookRecord;
  /** The response body, once `e.next()` returned: the list result, the record, `{ token, record }`. */
  response: unknown;
  /** Answers with this status and body instead (before `e.next()`: the operation does not run). */
  json(status: number, body: unknown): void;
}

export interface MailerEvent extends Chained {
  app: HookData;
  /** The message about to be queued; change it in place, or return without `e.next()` to drop it. */
  message: MailMessage;
  /** The auth record an auth flow's mail is about (password reset, verification …). */
  record?: HookRecord;
  collection?: HookCollection;
  /** The flow's extra values (`newEmail`, `otpId`, `alertInfo`). */
  meta?: Record<string, unknown>;
}

/** The collection hooks: `e.collection` (a `Collection`: change it before `e.next()`). */
export interface CollectionEvent extends Chained {
  app: HookData;
  collection: Record<string, unknown>;
  /** The error hooks (`onCollectionAfterCreateError` …): why the change failed. */
  error?: unknown;
}

export interface LifecycleEvent extends Chained {
  app: HookData;
  /** `onTerminate`: true when the app stops to start again (a restore, a `--dev` reload). */
  isRestart?: boolean;
}

/** A custom route's request. */
export interface RouteRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  query: Record<string, string>;
  params: Record<string, string>;
  body: Record<string, unknown>;
  /** The body's bytes as they came (none for multipart): `e.request.body` of PocketBase-style files. */
  raw?: Buffer;
  /** The client address (honours trustProxy). */
  ip: string;
}

/** The `e` of `routerAdd` handlers and middlewares. */
export interface RouteEvent extends Chained {
  app: HookData;
  request: RouteRequest;
  auth: HookRecord | null;
  /** Sends a JSON response. */
  json(status: number, body: unknown): void;
  /** Sends a text response. */
  string(status: number, text: string): void;
  /** Sends an empty response (204 by default). */
  noContent(status?: number): void;
  /** Sends an HTML response. */
  html(status: number, html: string): void;
  /** Redirects to `url` (status 3xx). */
  redirect(status: number, url: string): void;
  /** Sends bytes with the given content type. */
  blob(status: number, contentType: string, bytes: Uint8Array | string): void;
  /** Sets a response header. */
  setHeader(name: string, value: string): void;
}

export interface CronEvent {
  app: HookData;
  name: string;
  /** The tick's scheduled time (ISO 8601, UTC). */
  time: string;
}

export type Handler<E> = (e: E) => unknown;
export type RouteMiddleware = Handler<RouteEvent>;
