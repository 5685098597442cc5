import type { RecordRequestKind } from '@lib/records';
import type { ChainHandler } from './hook-chain';
import type { CronSchedule } from './cron/cron-schedule';
import type {
  CronEvent,
  Handler,
  LifecycleEvent,
  MailerEvent,
  RecordEvent,
  RecordRequestEvent,
  RouteEvent,
  RouteMiddleware,
} from './hook-types';

export type RecordAction = 'create' | 'update' | 'delete';

/** A handler limited to some collections (by name or id); none listed: every collection. */
export interface Scoped<H> {
  handler: H;
  collections: string[];
}

export interface RouteDef {
  method: string;
  path: string;
  handler: Handler<RouteEvent>;
  middlewares: RouteMiddleware[];
}

export interface CronDef {
  name: string;
  schedule: CronSchedule;
  handler: Handler<CronEvent>;
}

const perAction = <T>(): Record<RecordAction, T[]> => ({ create: [], update: [], delete: [] });

/** The hook points of a failed record write, by action (run once its transaction rolled back). */
export const AFTER_ERROR: Record<RecordAction, string> = {
  create: 'onRecordAfterCreateError',
  update: 'onRecordAfterUpdateError',
  delete: 'onRecordAfterDeleteError',
};

/** Every registered hook, route and cron, in registration order. Filled by `HooksApp`, read by the runners. */
export class HookRegistry {
  /** Chained write hooks (before-style ones are wrapped to call `e.next()` themselves). */
  readonly write = perAction<Scoped<ChainHandler<RecordEvent>>>();
  /** After-commit hooks. */
  readonly after = perAction<Scoped<Handler<RecordEvent>>>();
  readonly request: Record<RecordRequestKind, Scoped<ChainHandler<RecordRequestEvent>>[]> = {
    list: [],
    view: [],
    create: [],
    update: [],
    delete: [],
    auth: [],
  };
  readonly mailer: ChainHandler<MailerEvent>[] = [];
  readonly bootstrap: ChainHandler<LifecycleEvent>[] = [];
  readonly serve: ChainHandler<LifecycleEvent>[] = [];
  readonly routes: RouteDef[] = [];
  /** `routerUse` middlewares: run before those of every `routerAdd` route. */
  readonly routeMiddlewares: RouteMiddleware[] = [];
  readonly crons = new Map<string, CronDef>();
  /** The other hook points, by PocketBase's name (`onTerminate`, `onCollectionCreate` …): see `fire`. */
  readonly named = new Map<string, Scoped<ChainHandler<never>>[]>();

  /** Adds a handler of the hook point `name`. */
  add<E>(name: string, s: Scoped<ChainHandler<E>>): void {
    const list = this.named.get(name) ?? [];
    list.push(s);
    this.named.set(name, list);
  }

  /** The handlers of `name` that apply to `collection` (all of them without one). */
  handlers<E>(name: string, collection?: { id: string; name: string }): ChainHandler<E>[] {
    const list = (this.named.get(name) ?? []) as Scoped<ChainHandler<E>>[];
    return collection ? forCollection(list, collection) : list.map((s) => s.handler);
  }

  /** Replaces every entry with those of `from` (a dev reload starts again from the app's own hooks). */
  copyFrom(from: HookRegistry): void {
    const fresh = new HookRegistry().merge(from);
    for (const action of ['create', 'update', 'delete'] as const) {
      this.write[action].splice(0, Infinity, ...fresh.write[action]);
      this.after[action].splice(0, Infinity, ...fresh.after[action]);
    }
    for (const kind of Object.keys(this.request) as RecordRequestKind[]) {
      this.request[kind].splice(0, Infinity, ...fresh.request[kind]);
    }
    this.mailer.splice(0, Infinity, ...fresh.mailer);
    this.bootstrap.splice(0, Infinity, ...fresh.bootstrap);
    this.serve.splice(0, Infinity, ...fresh.serve);
    this.routes.splice(0, Infinity, ...fresh.routes);
    this.routeMiddlewares.splice(0, Infinity, ...fresh.routeMiddlewares);
    this.named.clear();
    fresh.named.forEach((list, name) => this.named.set(name, list));
    this.crons.clear();
    fresh.crons.forEach((cron, name) => this.crons.set(name, cron));
  }

  /** A registry with this one's hooks followed by `other`'s (crons of `other` replace same-named ones). */
  merge(other: HookRegistry): HookRegistry {
    const out = new HookRegistry();
    for (const source of [this, other]) {
      for (const action of ['create', 'update', 'delete'] as const) {
        out.write[action].push(...source.write[action]);
        out.after[action].push(...source.after[action]);
      }
      for (const kind of Object.keys(out.request) as RecordRequestKind[]) {
        out.request[kind].push(...source.request[kind]);
      }
      out.mailer.push(...source.mailer);
      out.bootstrap.push(...source.bootstrap);
      out.serve.push(...source.serve);
      out.routes.push(...source.routes);
      out.routeMiddlewares.push(...source.routeMiddlewares);
      source.named.forEach((list, name) => out.named.set(name, [...(out.named.get(name) ?? []), ...list]));
      source.crons.forEach((cron, name) => out.crons.set(name, cron));
    }
    return out;
  }
}

/** The handlers of `list` that apply to a collection. */
export function forCollection<H>(list: readonly Scoped<H>[], collection: { id: string; name: string }): H[] {
  return list
    .filter(
      (s) => s.collections.length === 0 || s.collections.some((c) => c === collection.name || c === collection.id),
    )
    .map((s) => s.handler);
}
