// Types of the package entry (`import { NestBase } from 'nestbase'`), written by hand: the compiled
// output carries no declarations. Mirrors apps/standalone/src/index.ts and libs/hooks/src/hook-types.ts.

export interface NestBaseOptions {
  dir?: string;
  http?: string;
  publicDir?: string;
  hooksDir?: string;
  dev?: boolean;
  handleSignals?: boolean;
}

export interface HookCollection {
  readonly id: string;
  readonly name: string;
  readonly type: string;
}

export declare class HookRecord {
  readonly id: string;
  readonly collectionName: string;
  collection(): HookCollection;
  isSuperuser(): boolean;
  isNew(): boolean;
  get(name: string): unknown;
  getString(name: string): string;
  set(name: string, value: unknown): void;
  load(values: Record<string, unknown>): void;
  original(): HookRecord;
  toJSON(): Record<string, unknown>;
}

export interface HookRequestInfo {
  method: string;
  headers: Record<string, string>;
  query: Record<string, string>;
  context: string;
}

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
  newRecord(collection: string, values?: Record<string, unknown>): HookRecord;
  save(record: HookRecord): Promise<void>;
  delete(record: HookRecord): Promise<void>;
  runInTransaction<T>(fn: (txApp: HookData) => Promise<T>): Promise<T>;
}

interface Chained {
  next(): Promise<void>;
}

export interface RecordEvent extends Chained {
  app: HookData;
  action: 'create' | 'update' | 'delete';
  record: HookRecord;
  collection: HookCollection;
  auth: HookRecord | null;
  request: HookRequestInfo;
}

export interface RecordRequestEvent extends Chained {
  app: HookData;
  kind: 'list' | 'view' | 'create' | 'update' | 'delete' | 'auth';
  collection: HookCollection;
  auth: HookRecord | null;
  request: HookRequestInfo;
  recordId?: string;
  body?: Record<string, unknown>;
  record?: HookRecord;
  response: any; // eslint-disable-line @typescript-eslint/no-explicit-any
  json(status: number, body: unknown): void;
}

export interface MailerEvent extends Chained {
  app: HookData;
  message: { to: { address: string; name?: string }[]; subject: string; html: string; text?: string };
}

export interface LifecycleEvent extends Chained {
  app: HookData;
}

export interface RouteRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  query: Record<string, string>;
  params: Record<string, string>;
  body: Record<string, unknown>;
  ip: string;
}

export interface RouteEvent extends Chained {
  app: HookData;
  request: RouteRequest;
  auth: HookRecord | null;
  json(status: number, body: unknown): void;
  string(status: number, text: string): void;
  noContent(status?: number): void;
}

export interface CronEvent {
  app: HookData;
  name: string;
  time: string;
}

export type Handler<E> = (e: E) => unknown;
export type RouteMiddleware = Handler<RouteEvent>;
type Scope<E> = (string | string[] | Handler<E>)[];

export declare class ApiError extends Error {
  constructor(status: number, message: string, data?: Record<string, unknown>);
  readonly status: number;
  readonly data: Record<string, unknown>;
}
export declare class BadRequestError extends ApiError {
  constructor(message?: string, data?: Record<string, unknown>);
}
export declare class UnauthorizedError extends ApiError {
  constructor(message?: string);
}
export declare class ForbiddenError extends ApiError {
  constructor(message?: string);
}
export declare class NotFoundError extends ApiError {
  constructor(message?: string);
}

export declare function requireAuth(...collections: string[]): RouteMiddleware;
export declare function requireSuperuserAuth(): RouteMiddleware;
export declare function requireGuestOnly(): RouteMiddleware;

export declare class HooksApp implements HookData {
  readonly ApiError: typeof ApiError;
  readonly BadRequestError: typeof BadRequestError;
  readonly UnauthorizedError: typeof UnauthorizedError;
  readonly ForbiddenError: typeof ForbiddenError;
  readonly NotFoundError: typeof NotFoundError;
  readonly requireAuth: typeof requireAuth;
  readonly requireSuperuserAuth: typeof requireSuperuserAuth;
  readonly requireGuestOnly: typeof requireGuestOnly;
  readonly logger: { log(message: string): void; warn(message: string): void; error(message: string): void };
  onRecordBeforeCreate(...args: Scope<RecordEvent>): void;
  onRecordBeforeUpdate(...args: Scope<RecordEvent>): void;
  onRecordBeforeDelete(...args: Scope<RecordEvent>): void;
  onRecordAfterCreate(...args: Scope<RecordEvent>): void;
  onRecordAfterUpdate(...args: Scope<RecordEvent>): void;
  onRecordAfterDelete(...args: Scope<RecordEvent>): void;
  onRecordAfterCreateSuccess(...args: Scope<RecordEvent>): void;
  onRecordAfterUpdateSuccess(...args: Scope<RecordEvent>): void;
  onRecordAfterDeleteSuccess(...args: Scope<RecordEvent>): void;
  onRecordCreate(...args: Scope<RecordEvent>): void;
  onRecordUpdate(...args: Scope<RecordEvent>): void;
  onRecordDelete(...args: Scope<RecordEvent>): void;
  onRecordsListRequest(...args: Scope<RecordRequestEvent>): void;
  onRecordViewRequest(...args: Scope<RecordRequestEvent>): void;
  onRecordCreateRequest(...args: Scope<RecordRequestEvent>): void;
  onRecordUpdateRequest(...args: Scope<RecordRequestEvent>): void;
  onRecordDeleteRequest(...args: Scope<RecordRequestEvent>): void;
  onRecordAuthRequest(...args: Scope<RecordRequestEvent>): void;
  onMailerSend(handler: Handler<MailerEvent>): void;
  onBootstrap(handler: Handler<LifecycleEvent>): void;
  onServe(handler: Handler<LifecycleEvent>): void;
  routerAdd(method: string, path: string, handler: Handler<RouteEvent>, ...middlewares: RouteMiddleware[]): void;
  cronAdd(name: string, schedule: string, handler: Handler<CronEvent>): void;
  cronRemove(name: string): void;
  findRecordById: HookData['findRecordById'];
  findFirstRecordByFilter: HookData['findFirstRecordByFilter'];
  findRecordsByFilter: HookData['findRecordsByFilter'];
  newRecord: HookData['newRecord'];
  save: HookData['save'];
  delete: HookData['delete'];
  runInTransaction: HookData['runInTransaction'];
}

export declare class NestBase extends HooksApp {
  constructor(options?: NestBaseOptions);
  start(): Promise<void>;
  stop(): Promise<void>;
}
