import { Logger } from '@nestjs/common';
import { ApiError, BadRequestError, ForbiddenError, NotFoundError, UnauthorizedError } from '@lib/core';
import type { ChainHandler } from './hook-chain';
import { CronSchedule } from './cron/cron-schedule';
import { AFTER_ERROR, HookRegistry, type RecordAction, type Scoped } from './hook-registry';
import type { HookRecord } from './hook-record';
import type {
  CollectionEvent,
  CronEvent,
  Handler,
  HookData,
  LifecycleEvent,
  MailerEvent,
  RecordEvent,
  RecordRequestEvent,
  RouteEvent,
  RouteMiddleware,
} from './hook-types';
import { requireAuth, requireGuestOnly, requireSuperuserAuth } from './routes/route-middlewares';
import type { HookServices } from './jsvm/jsvm-context';
import { COLLECTION_HOOKS } from './collection-hook-runner';
import { NAMED_HOOKS } from './hook-points-runner';

/** Collection names (or ids) and one handler, in either order: `('todos', fn)`, `(fn, 'todos', 'posts')`, `(fn)`. */
type Scope<E> = (string | string[] | Handler<E>)[];

function scoped<E>(args: Scope<E>): Scoped<Handler<E>> {
  const handler = args.find((a): a is Handler<E> => typeof a === 'function');
  if (!handler) {
    throw new TypeError('a hook needs a handler function');
  }
  const collections = args.flatMap((a) => (typeof a === 'function' ? [] : a));
  return { handler, collections };
}

/** A before-style handler: runs, then continues the chain itself. */
function before<E extends { next(): Promise<void> }>(s: Scoped<Handler<E>>): Scoped<ChainHandler<E>> {
  return {
    collections: s.collections,
    handler: async (e: E) => {
      await s.handler(e);
      await e.next();
    },
  };
}

/**
 * The hook API handed to `pb_hooks` files and extended by `NestBase`: record, request, mail and lifecycle
 * hooks, custom routes, cron jobs, and the data helpers (usable once the app runs).
 */
export class HooksApp implements HookData {
  readonly ApiError = ApiError;
  readonly BadRequestError = BadRequestError;
  readonly UnauthorizedError = UnauthorizedError;
  readonly ForbiddenError = ForbiddenError;
  readonly NotFoundError = NotFoundError;
  readonly requireAuth = requireAuth;
  readonly requireSuperuserAuth = requireSuperuserAuth;
  readonly requireGuestOnly = requireGuestOnly;
  /** Nest's logger under the name "hooks": `app.logger.log('…')`, `.warn`, `.error`. */
  readonly logger = new Logger('hooks');
  /** Set while the app runs: the data helpers' implementation. */
  data: HookData | null = null;
  /** Set while the app runs: settings, mail … for PocketBase-style hook files. */
  services: HookServices | null = null;
  /** The PocketBase-style hook files loaded into this app. */
  readonly jsvmFiles: string[] = [];
  /**
   * Set before loading files when the database answers reads asynchronously (PostgreSQL): PocketBase-style files
   * then get their `$app` reads awaited too (see jsvm-transform).
   */
  readsAwaited = false;

  constructor(readonly hooks: HookRegistry = new HookRegistry()) {}

  // Tutorial style: before-hooks run before the write (throw to abort), after-hooks after the commit.
  onRecordBeforeCreate = (...args: Scope<RecordEvent>) => this.addWrite('create', before(scoped(args)));
  onRecordBeforeUpdate = (...args: Scope<RecordEvent>) => this.addWrite('update', before(scoped(args)));
  onRecordBeforeDelete = (...args: Scope<RecordEvent>) => this.addWrite('delete', before(scoped(args)));
  onRecordAfterCreate = (...args: Scope<RecordEvent>) => this.addAfter('create', scoped(args));
  onRecordAfterUpdate = (...args: Scope<RecordEvent>) => this.addAfter('update', scoped(args));
  onRecordAfterDelete = (...args: Scope<RecordEvent>) => this.addAfter('delete', scoped(args));
  /**
   * PocketBase's `onRecordAfterCreateError` …: once a failed write's transaction rolled back, with `e.error` (whatever
   * order the handlers were registered in); their failures are logged.
   */
  onRecordAfterCreateError = (...args: Scope<RecordEvent>) => this.hooks.add(AFTER_ERROR.create, scoped(args));
  onRecordAfterUpdateError = (...args: Scope<RecordEvent>) => this.hooks.add(AFTER_ERROR.update, scoped(args));
  onRecordAfterDeleteError = (...args: Scope<RecordEvent>) => this.hooks.add(AFTER_ERROR.delete, scoped(args));
  onRecordAfterCreateSuccess = this.onRecordAfterCreate;
  onRecordAfterUpdateSuccess = this.onRecordAfterUpdate;
  onRecordAfterDeleteSuccess = this.onRecordAfterDelete;

  // PocketBase style: `onRecordCreate(e => { …before…; await e.next(); …after… }, 'todos')`.
  onRecordCreate = (...args: Scope<RecordEvent>) => this.addWrite('create', scoped(args));
  onRecordUpdate = (...args: Scope<RecordEvent>) => this.addWrite('update', scoped(args));
  onRecordDelete = (...args: Scope<RecordEvent>) => this.addWrite('delete', scoped(args));

  // Request hooks: change the body before `e.next()`, the response after it, or answer with `e.json`.
  onRecordsListRequest = (...args: Scope<RecordRequestEvent>) => this.hooks.request.list.push(scoped(args));
  onRecordViewRequest = (...args: Scope<RecordRequestEvent>) => this.hooks.request.view.push(scoped(args));
  onRecordCreateRequest = (...args: Scope<RecordRequestEvent>) => this.hooks.request.create.push(scoped(args));
  onRecordUpdateRequest = (...args: Scope<RecordRequestEvent>) => this.hooks.request.update.push(scoped(args));
  onRecordDeleteRequest = (...args: Scope<RecordRequestEvent>) => this.hooks.request.delete.push(scoped(args));
  onRecordAuthRequest = (...args: Scope<RecordRequestEvent>) => this.hooks.request.auth.push(scoped(args));

  onMailerSend = (handler: ChainHandler<MailerEvent>) => this.hooks.mailer.push(handler);
  /** Runs at start; `e.next()` initializes the app (before it, the data helpers are not usable yet). */
  onBootstrap = (handler: ChainHandler<LifecycleEvent>) => this.hooks.bootstrap.push(handler);
  /** Runs before the server listens; `e.next()` starts listening. Routes added here still count. */
  onServe = (handler: ChainHandler<LifecycleEvent>) => this.hooks.serve.push(handler);

  /** Runs when the app stops (`e.isRestart` when it starts again after); `e.next()` stops it. */
  onTerminate = (handler: ChainHandler<LifecycleEvent>) => this.hooks.add('onTerminate', { handler, collections: [] });
  /** An auth flow's mail (`e.record`, `e.message`): `kind` one of RECORD_MAIL_HOOKS' names, e.g. the password reset. */
  onMailerRecordSend = (name: string, handler: ChainHandler<MailerEvent>, ...collections: string[]) =>
    this.hooks.add(name, { handler, collections });

  /**
   * A hook point by PocketBase's name, for those without a method here: the collection hooks (`onCollectionCreate`,
   * `onCollectionAfterUpdateSuccess` …; tags name collections) and NAMED_HOOKS (settings, batch, backups, realtime,
   * files). `e.next()` continues.
   */
  on = (name: string, handler: ChainHandler<CollectionEvent>, ...tags: string[]) => {
    if (!COLLECTION_HOOKS.includes(name) && !NAMED_HOOKS.includes(name)) {
      throw new TypeError(`app.on: unknown hook point "${name}"`);
    }
    this.hooks.add(name, { handler, collections: tags });
  };

  /** A custom route: `routerAdd('GET', '/api/hello/{name}', e => e.json(200, {…}), app.requireAuth())`. */
  routerAdd = (method: string, path: string, handler: Handler<RouteEvent>, ...middlewares: RouteMiddleware[]) => {
    this.hooks.routes.push({ method, path, handler, middlewares });
  };

  /** A cron job (5-field cron syntax in UTC, macros, or 6 fields with seconds); a job of the same name is replaced. */
  cronAdd = (name: string, schedule: string, handler: Handler<CronEvent>) => {
    const parsed = CronSchedule.parse(schedule);
    parsed.next(new Date());
    this.hooks.crons.set(name, { name, schedule: parsed, handler });
  };

  cronRemove = (name: string) => this.hooks.crons.delete(name);

  findRecordById = (collection: string, id: string) => this.running().findRecordById(collection, id);
  findFirstRecordByFilter = (collection: string, filter: string, params?: Record<string, unknown>) =>
    this.running().findFirstRecordByFilter(collection, filter, params);
  findRecordsByFilter = (
    collection: string,
    filter?: string,
    sort?: string,
    limit?: number,
    offset?: number,
    params?: Record<string, unknown>,
  ) => this.running().findRecordsByFilter(collection, filter, sort, limit, offset, params);
  newRecord = (collection: string, values?: Record<string, unknown>) => this.running().newRecord(collection, values);
  save = (record: HookRecord) => this.running().save(record);
  delete = (record: HookRecord) => this.running().delete(record);
  runInTransaction = <T>(fn: (txApp: HookData) => Promise<T>) => this.running().runInTransaction(fn);

  /** The synchronous finders, once the app runs on SQLite. */
  get sync() {
    return this.data?.sync;
  }

  /** The same finders answering promises, once the app runs on PostgreSQL. */
  get reads() {
    return this.data?.reads;
  }

  private addWrite(action: RecordAction, s: Scoped<ChainHandler<RecordEvent>>): void {
    this.hooks.write[action].push(s);
  }

  private addAfter(action: RecordAction, s: Scoped<Handler<RecordEvent>>): void {
    this.hooks.after[action].push(s);
  }

  private running(): HookData {
    if (!this.data) {
      throw new Error('the data helpers are available once the app is bootstrapped');
    }
    return this.data;
  }
}
