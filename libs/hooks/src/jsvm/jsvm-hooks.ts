import type { ChainHandler } from '../hook-chain';
import type { HooksApp } from '../hooks-app';
import type {
  CronEvent,
  HookData,
  LifecycleEvent,
  MailerEvent,
  RecordEvent,
  RecordRequestEvent,
  RouteEvent,
  RouteMiddleware,
} from '../hook-types';
import { invoke, type JsvmHost } from './jsvm-context';
import { plainEvent, recordEvent, recordRequestEvent, requestEvent } from './jsvm-events';
import { modelHooks } from './jsvm-model-hooks';
import { PB_HOOKS } from './jsvm-names';
import { RECORD_MAIL_HOOKS } from '../mailer-hook-runner';
import { COLLECTION_HOOKS } from '../collection-hook-runner';
import { NAMED_HOOKS } from '../hook-points-runner';

type Fn = (e?: unknown) => unknown;
type Tags = (string | string[])[];

/** `new Middleware(fn, priority, id)` as `routerAdd` / `routerUse` take it (the priority is not used). */
export class Middleware {
  constructor(
    readonly func: Fn,
    readonly priority = 0,
    readonly id = '',
  ) {}
}

/** A PocketBase name nestbase has no hook point for: calling it (at load) fails with the file's line. */
export class UnsupportedHook extends Error {
  override name = 'UnsupportedHook';
}

function fnOf(value: unknown, what: string): Fn {
  const fn = value instanceof Middleware ? value.func : value;
  if (typeof fn !== 'function') {
    throw new TypeError(`${what} takes a handler function`);
  }
  return fn as Fn;
}

/**
 * The top-level functions of a PocketBase-style hooks file, registering on `app`: every PocketBase hook name
 * (those nestbase can't fire throw `UnsupportedHook` when called, that is while the file loads), `routerAdd`,
 * `routerUse`, `cronAdd`, `cronRemove`. Handlers get PocketBase-shaped events (see jsvm-events) and run through
 * `invoke` (their calls queued in order).
 */
export function jsvmHooks(app: HooksApp, host: JsvmHost, file: string) {
  const run =
    <E extends { app: HookData }>(fn: Fn, toEvent: (e: E) => unknown) =>
    async (e: E) => {
      await invoke(e.app, () => fn(toEvent(e)));
    };
  const rec = (fn: Fn) => run<RecordEvent>(fn, (e) => recordEvent(host, file, e));
  const req =
    (fn: Fn) =>
    async (e: RecordRequestEvent): Promise<void> => {
      const { event, ready } = recordRequestEvent(host, file, e);
      if (!e.app.sync) {
        await ready();
      }
      await invoke(e.app, () => fn(event));
    };
  const plain = <E extends LifecycleEvent>(fn: Fn) => run<E>(fn, (e) => plainEvent(host, file, e));
  // run once the failed write rolled back (their own writes stay), with `e.error`
  const onError =
    (fn: Fn): ChainHandler<RecordEvent> =>
    (e) =>
      invoke(e.app, () => fn({ ...recordEvent(host, file, e), error: e.error }));
  const route = (fn: Fn): RouteMiddleware => run<RouteEvent>(fn, (e) => requestEvent(host, file, e));
  const hooks: Record<string, (...args: never[]) => unknown> = {
    onRecordCreate: (fn: Fn, ...tags: Tags) => app.onRecordCreate(rec(fn), ...tags),
    onRecordUpdate: (fn: Fn, ...tags: Tags) => app.onRecordUpdate(rec(fn), ...tags),
    onRecordDelete: (fn: Fn, ...tags: Tags) => app.onRecordDelete(rec(fn), ...tags),
    onRecordCreateExecute: (fn: Fn, ...tags: Tags) => app.onRecordCreate(rec(fn), ...tags),
    onRecordUpdateExecute: (fn: Fn, ...tags: Tags) => app.onRecordUpdate(rec(fn), ...tags),
    onRecordDeleteExecute: (fn: Fn, ...tags: Tags) => app.onRecordDelete(rec(fn), ...tags),
    onRecordValidate: (fn: Fn, ...tags: Tags) => {
      app.onRecordCreate(rec(fn), ...tags);
      app.onRecordUpdate(rec(fn), ...tags);
    },
    onRecordAfterCreateSuccess: (fn: Fn, ...tags: Tags) => app.onRecordAfterCreate(rec(fn), ...tags),
    onRecordAfterUpdateSuccess: (fn: Fn, ...tags: Tags) => app.onRecordAfterUpdate(rec(fn), ...tags),
    onRecordAfterDeleteSuccess: (fn: Fn, ...tags: Tags) => app.onRecordAfterDelete(rec(fn), ...tags),
    onRecordAfterCreateError: (fn: Fn, ...tags: Tags) => app.onRecordAfterCreateError(onError(fn), ...tags),
    onRecordAfterUpdateError: (fn: Fn, ...tags: Tags) => app.onRecordAfterUpdateError(onError(fn), ...tags),
    onRecordAfterDeleteError: (fn: Fn, ...tags: Tags) => app.onRecordAfterDeleteError(onError(fn), ...tags),
    onRecordsListRequest: (fn: Fn, ...tags: Tags) => app.onRecordsListRequest(req(fn), ...tags),
    onRecordViewRequest: (fn: Fn, ...tags: Tags) => app.onRecordViewRequest(req(fn), ...tags),
    onRecordCreateRequest: (fn: Fn, ...tags: Tags) => app.onRecordCreateRequest(req(fn), ...tags),
    onRecordUpdateRequest: (fn: Fn, ...tags: Tags) => app.onRecordUpdateRequest(req(fn), ...tags),
    onRecordDeleteRequest: (fn: Fn, ...tags: Tags) => app.onRecordDeleteRequest(req(fn), ...tags),
    onRecordAuthRequest: (fn: Fn, ...tags: Tags) => app.onRecordAuthRequest(req(fn), ...tags),
    ...modelHooks(app, rec, onError, (name, fn) =>
      app.on(
        name,
        plain((e) => fn(Object.assign(e as object, { model: (e as { collection: unknown }).collection }))),
      ),
    ),
    onMailerSend: (fn: Fn) => app.onMailerSend(plain<MailerEvent & LifecycleEvent>(fn)),
    onBootstrap: (fn: Fn) => app.onBootstrap(plain(fn)),
    onTerminate: (fn: Fn) => app.onTerminate(plain(fn)),
    ...Object.fromEntries(
      [...COLLECTION_HOOKS, ...NAMED_HOOKS].map((name) => [
        name,
        (fn: Fn, ...tags: Tags) => app.on(name, plain(fn), ...tags.flat()),
      ]),
    ),
    ...Object.fromEntries(
      Object.values(RECORD_MAIL_HOOKS).map((name) => [
        name,
        (fn: Fn, ...tags: Tags) =>
          app.onMailerRecordSend(name, plain<MailerEvent & LifecycleEvent>(fn), ...tags.flat()),
      ]),
    ),
    onServe: (fn: Fn) =>
      app.onServe(
        run<LifecycleEvent>(fn, (e) => Object.assign(plainEvent(host, file, e), { router: router(app, route) })),
      ),
    routerAdd: (method: string, path: string, handler: unknown, ...middlewares: unknown[]) =>
      app.routerAdd(
        method,
        path,
        route(fnOf(handler, 'routerAdd')),
        ...middlewares.map((m) => (isNative(m) ? m : route(fnOf(m, 'routerAdd middleware')))),
      ),
    routerUse: (...middlewares: unknown[]) =>
      app.hooks.routeMiddlewares.push(...middlewares.map((m) => (isNative(m) ? m : route(fnOf(m, 'routerUse'))))),
    cronAdd: (name: string, schedule: string, fn: unknown) =>
      app.cronAdd(name, schedule, (e: CronEvent) => invoke(e.app, () => fnOf(fn, 'cronAdd')())),
    cronRemove: (name: string) => app.cronRemove(name),
  };
  for (const name of PB_HOOKS) {
    hooks[name] ??= () => {
      throw new UnsupportedHook(`${name} is not supported by nestbase (see the README's JSVM compatibility table)`);
    };
  }
  return hooks;
}

/** Middlewares made by `$apis.requireAuth()` … are nestbase route middlewares already. */
const NATIVE = new WeakSet<object>();

export function native(m: RouteMiddleware): RouteMiddleware {
  NATIVE.add(m);
  return m;
}

function isNative(m: unknown): m is RouteMiddleware {
  return typeof m === 'function' && NATIVE.has(m);
}

/** `e.router` of `onServe`: routes added before `e.next()` are served. */
function router(app: HooksApp, route: (fn: Fn) => RouteMiddleware) {
  const add = (method: string) => (path: string, handler: Fn) => {
    app.routerAdd(method, path, route(handler));
    return { bind: () => undefined, bindFunc: () => undefined };
  };
  return {
    get: add('GET'),
    post: add('POST'),
    put: add('PUT'),
    patch: add('PATCH'),
    delete: add('DELETE'),
    head: add('HEAD'),
    options: add('OPTIONS'),
    any: (path: string, handler: Fn) => ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'].forEach((m) => add(m)(path, handler)),
    route: (method: string, path: string, handler: Fn) => add(method)(path, handler),
    bindFunc: (fn: Fn) => app.hooks.routeMiddlewares.push(route(fn)),
  };
}
