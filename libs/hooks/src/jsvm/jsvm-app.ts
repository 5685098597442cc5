import { format } from 'node:util';
import { AppLogSink } from '@lib/core';
import { withoutSecrets } from '@lib/schema';
import { HookRecord } from '../hook-record';
import type { HookData } from '../hook-types';
import { bindNamed } from '../migrations/migration-sql';
import { Collection } from '../migrations/migration-models';
import { currentData, invoke, queued, services, type JsvmHost } from './jsvm-context';
import { dbxConditions } from './jsvm-dbx';
import type { AwaitedFinders, SyncFinders } from './sync-reads';
import { text } from './text';

type Obj = Record<string, unknown>;

/** The model `arrayOf(model)` was made with: the shape of each row `all` fills it with. */
export const TEMPLATE = Symbol('arrayOf template');

const LEVELS: Record<string, number> = { debug: -4, info: 0, warn: 4, error: 8 };

/** `$app.logger()`: slog-style `info(message, key, value, …)`, written to the app logs. */
function logger(file: string) {
  const log =
    (level: string) =>
    (message: unknown, ...attrs: unknown[]) => {
      const data: Obj = { type: 'app', context: 'hooks', file };
      for (let i = 0; i + 1 < attrs.length; i += 2) {
        data[String(attrs[i])] = attrs[i + 1];
      }
      AppLogSink.write(LEVELS[level], format(message), data);
    };
  const l = { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error'), with: () => l };
  return l;
}

/**
 * The synchronous finders (SQLite), else those answering promises (PostgreSQL: the file was loaded with its reads
 * awaited, see jsvm-transform and `HooksApp.readsAwaited`). Either is typed as the synchronous one: that is what
 * the file's code sees once its calls are awaited.
 */
function finders(data: HookData): SyncFinders {
  const found: SyncFinders | AwaitedFinders | undefined = data.sync ?? data.reads;
  if (!found) {
    throw new Error('the data helpers of this event have no record finders');
  }
  return found as SyncFinders;
}

/** The collection of a record, a `Collection` or a name / id. */
export function collectionName(ref: unknown): string {
  if (typeof ref === 'string') {
    return ref;
  }
  const c = ref as { id?: unknown; name?: unknown } | null;
  return text(c?.id ?? c?.name);
}

/**
 * PocketBase's `$app` (and `e.app`, `txApp`): the record finders, synchronous; `save` / `delete` queued in call
 * order (awaited where the file's code was rewritten to, see jsvm-transform); transactions; logger; settings.
 * `bound` fixes the data helpers (a transaction's); otherwise those of the running handler are used.
 */
export function jsvmApp(host: JsvmHost, file: string, bound?: HookData) {
  const data = () => bound ?? currentData(host);
  const find = () => finders(data());
  const app = {
    findRecordById: (c: unknown, id: string) => find().findRecordById(collectionName(c), id),
    findRecordsByIds: (c: unknown, ids: string[]) => find().findRecordsByIds(collectionName(c), ids),
    findFirstRecordByFilter: (c: unknown, filter: string, params?: Obj) =>
      find().findFirstRecordByFilter(collectionName(c), filter, params),
    findRecordsByFilter: (c: unknown, filter = '', sort = '', limit = 0, offset = 0, params?: Obj) =>
      find().findRecordsByFilter(collectionName(c), filter, sort, limit, offset, params),
    findAllRecords: (c: unknown, ...exprs: unknown[]) =>
      find().findAllRecords(collectionName(c), dbxConditions(exprs, 'findAllRecords')),
    findFirstRecordByData: (c: unknown, field: string, value: unknown) =>
      find().findFirstRecordByData(collectionName(c), field, value),
    findAuthRecordByEmail: (c: unknown, email: string) =>
      find().findFirstRecordByData(collectionName(c), 'email', email),
    // PocketBase's `countRecords(c, ...exprs)`; a filter string (and its params) is nestbase's extension
    countRecords: (c: unknown, ...rest: unknown[]) =>
      typeof rest[0] === 'string' || rest.length === 0
        ? find().countRecords(collectionName(c), text(rest[0] ?? ''), rest[1] as Obj | undefined)
        : find().countWhere(collectionName(c), dbxConditions(rest, 'countRecords')),
    findCollectionByNameOrId: (nameOrId: string) => {
      const model = find().collection(nameOrId);
      return new Collection(withoutSecrets(model));
    },
    findCachedCollectionByNameOrId: (nameOrId: string) => app.findCollectionByNameOrId(nameOrId),
    save: (model: unknown) => {
      const record = asRecord(model, 'save');
      return queued(() => data().save(record));
    },
    saveNoValidate: (model: unknown) => app.save(model),
    delete: (model: unknown) => {
      const record = asRecord(model, 'delete');
      return queued(() => data().delete(record));
    },
    runInTransaction: (fn: (txApp: unknown) => unknown) =>
      queued(() => data().runInTransaction((tx) => invoke(tx, () => fn(jsvmApp(host, file, tx))))),
    db: () => ({ newQuery: (sql: string) => syncQuery(find, sql) }),
    logger: () => logger(file),
    settings: () => services(host).settings(),
    isDev: () => services(host).isDev,
    dataDir: () => services(host).dataDir,
    isBootstrapped: () => host.data !== null,
    newMailClient: () => ({
      send: (message: Obj) => {
        const send = services(host).sendMail;
        if (!send) {
          throw new Error('this process sends no mail');
        }
        return queued(() => send(message as never));
      },
    }),
  };
  return app;
}

function asRecord(model: unknown, action: string): HookRecord {
  if (model instanceof HookRecord) {
    return model;
  }
  throw new TypeError(`$app.${action}: nestbase hooks ${action} records (collections change through migrations)`);
}

/**
 * `$app.db().newQuery(sql).bind({…}).all(result)` / `.one(result)` (reads only): synchronous on SQLite; on PostgreSQL
 * they answer promises, which the file's rewritten code awaits.
 */
function syncQuery(find: () => SyncFinders, sql: string) {
  let params: Obj = {};
  const rows = () => find().query(...bindNamed(sql, params));
  const then = <T>(found: Obj[] | Promise<Obj[]>, fn: (rows: Obj[]) => T): T | Promise<T> =>
    found instanceof Promise ? found.then(fn) : fn(found);
  const fill = (target: unknown, row: Obj | undefined) => {
    if (row && target && typeof target === 'object') {
      Object.assign(target, row);
    }
    return target;
  };
  const q = {
    bind: (values: Obj) => {
      params = { ...params, ...values };
      return q;
    },
    one: (target?: unknown) =>
      then(rows(), ([row]) => {
        if (!row) {
          throw new Error('sql: no rows in result set');
        }
        return fill(target ?? {}, row);
      }),
    all: (target?: unknown) =>
      then(rows(), (found) => {
        if (Array.isArray(target)) {
          const list = target as unknown[];
          const template = (target as { [TEMPLATE]?: Obj })[TEMPLATE];
          list.splice(0, list.length, ...found.map((row) => ({ ...(template ?? {}), ...row })));
          return list;
        }
        return found;
      }),
    execute: () => {
      throw new Error('$app.db() runs reads in hooks; change data with $app.save / $app.delete');
    },
  };
  return q;
}
