import { Logger } from '@nestjs/common';
import { NotFoundError } from '@lib/core';
import type { TxExecutor } from '@lib/database';
import type { CollectionsService, SettingsService } from '@lib/records';
import { withoutSecrets, type CollectionModel } from '@lib/schema';
import { HookRecord } from '../hook-record';
import type { HookData } from '../hook-types';
import { catchUp, Collection, unmarshal } from './migration-models';
import { MigrationQueue, type Queued } from './migration-queue';
import { lookupOf, MigrationRecord, pendingRecord, type CollectionRef, type PendingRecord } from './migration-record';
import { newQuery } from './migration-sql';

type Obj = Record<string, unknown>;

/** What one migration's app works on: its transaction and the services of the process. */
export interface MigrationContext {
  tx: TxExecutor;
  /** The hooks' data helpers, bound to the transaction. */
  data: HookData;
  collections: CollectionsService;
  settings: SettingsService;
  /** A stored collection by id or name (the registry, read again after every collection change). */
  collection(idOrName: string): CollectionModel;
  /** Set when the migration changed collections or settings (caches to refresh after the commit). */
  changed: { collections: boolean; settings: boolean };
}

/**
 * The `app` of migration callbacks, in PocketBase's style: collections, records and settings saved and deleted
 * with `app.save` / `app.delete`, lookups, imports, raw SQL. Its calls run in call order inside the migration's
 * transaction (see MigrationQueue), so they need no `await`; values are read with `await` (lookups of records).
 * Collections are looked up synchronously, as the migration has left them so far.
 */
export class MigrationApp {
  readonly logger = new Logger('migrations');
  readonly queue = new MigrationQueue();
  /** Collections this migration saved (or found): saving them again updates them. */
  private readonly stored = new WeakSet<Collection>();
  /** What the calls so far do to collections, by `id:<id>` and `name:<lowercased name>`; null: deleted. */
  private readonly overlay = new Map<string, Collection | null>();
  private readonly settingsObjects = new WeakSet<object>();
  /** An import with `deleteMissing` ran: non-system collections it didn't name are gone. */
  private onlyImported = false;

  constructor(private readonly ctx: MigrationContext) {}

  findCollectionByNameOrId = (nameOrId: string): Collection => {
    const key = [`id:${nameOrId}`, `name:${nameOrId.toLowerCase()}`].find((k) => this.overlay.has(k));
    if (key !== undefined) {
      const found = this.overlay.get(key);
      if (!found) {
        throw new NotFoundError(`Missing collection "${nameOrId}".`);
      }
      return found;
    }
    const model = this.ctx.collection(nameOrId);
    if (this.onlyImported && !model.system) {
      throw new NotFoundError(`Missing collection "${nameOrId}" (not in the import that replaced the others).`);
    }
    const collection = new Collection(withoutSecrets(model));
    this.stored.add(collection);
    return collection;
  };

  findCachedCollectionByNameOrId = this.findCollectionByNameOrId;

  save = (model: unknown): Queued<void> => {
    if (model instanceof Collection) {
      return this.saveCollection(model);
    }
    if (model && typeof model === 'object' && this.settingsObjects.has(model)) {
      return this.queue.push(async () => {
        await this.ctx.settings.update(model, this.ctx.tx);
        this.ctx.changed.settings = true;
      });
    }
    return this.queue.push(async () => {
      const record = await this.record(model);
      confirmPassword(record);
      await this.ctx.data.save(record);
    });
  };

  saveNoValidate = this.save;

  delete = (model: unknown): Queued<void> => {
    if (model instanceof Collection) {
      this.remember(model, null);
      return this.queue.push(async () => {
        await this.ctx.collections.deleteIn(this.ctx.tx, idOf(model) || nameOf(model));
        await this.collectionsChanged();
      });
    }
    return this.queue.push(async () => this.ctx.data.delete(await this.record(model, true)));
  };

  /** PocketBase's import: upserts by id or name; `deleteMissing` drops the other non-system collections. */
  importCollections = (collections: unknown[], deleteMissing = false): Queued<void> => {
    const items = collections.map((c) => (c instanceof Collection ? c.toJSON() : (c as Obj)));
    // later lookups in this migration see the imported collections (filled in from the store once it ran)
    const imported = items.map((item) => new Collection(item));
    imported.forEach((c) => {
      this.stored.add(c);
      this.remember(c, c);
    });
    this.onlyImported ||= deleteMissing;
    return this.queue.push(async () => {
      await this.ctx.collections.importIn(this.ctx.tx, items, deleteMissing);
      await this.collectionsChanged();
      imported.forEach((c, i) => {
        catchUp(c, items[i], withoutSecrets(this.ctx.collection(String(items[i].id || items[i].name))));
        this.remember(c, c);
      });
    });
  };

  importCollectionsByMarshaledJSON = (json: string, deleteMissing = false): Queued<void> =>
    this.importCollections(JSON.parse(json) as unknown[], deleteMissing);

  findRecordById = (collection: string, id: string): PendingRecord =>
    pendingRecord(
      this.queue,
      this.queue.push(() => this.ctx.data.findRecordById(collection, id)),
    );

  findFirstRecordByFilter = (collection: string, filter: string, params?: Obj): PendingRecord =>
    pendingRecord(
      this.queue,
      this.queue.push(() => this.ctx.data.findFirstRecordByFilter(collection, filter, params)),
    );

  findAuthRecordByEmail = (collection: string, email: string): PendingRecord =>
    this.findFirstRecordByFilter(collection, 'email = {:email}', { email });

  findRecordsByFilter = (
    collection: string,
    filter?: string,
    sort?: string,
    limit?: number,
    offset?: number,
    params?: Obj,
  ): Queued<HookRecord[]> =>
    this.queue.push(() => this.ctx.data.findRecordsByFilter(collection, filter, sort, limit, offset, params));

  newRecord = (collection: CollectionRef, values: Obj = {}) => new MigrationRecord(collection, values);

  /** The migration already runs in a transaction: `fn` runs in it with this app. */
  runInTransaction = <T>(fn: (txApp: MigrationApp) => T): T => fn(this);

  /** A copy of the settings; `app.save(settings)` stores it. */
  settings = (): Obj => {
    const copy = structuredClone(this.ctx.settings.cached() ?? {});
    this.settingsObjects.add(copy);
    return copy;
  };

  /** Raw SQL inside the migration's transaction: `app.db().newQuery(sql).bind({ name: value }).execute()`. */
  db = () => ({ newQuery: (sql: string) => newQuery(this.queue, this.ctx.tx, sql) });

  private saveCollection(collection: Collection): Queued<void> {
    const isUpdate = this.stored.has(collection);
    this.remember(collection, collection);
    return this.queue.push(async () => {
      const json = collection.toJSON();
      const saved = isUpdate
        ? await this.ctx.collections.saveIn(this.ctx.tx, json, idOf(collection))
        : await this.ctx.collections.saveIn(this.ctx.tx, json);
      unmarshal(withoutSecrets(saved), collection);
      this.stored.add(collection);
      this.overlay.set(`id:${saved.id}`, collection);
      await this.collectionsChanged();
    });
  }

  private remember(collection: Collection, value: Collection | null): void {
    if (idOf(collection)) {
      this.overlay.set(`id:${idOf(collection)}`, value);
    }
    if (nameOf(collection)) {
      this.overlay.set(`name:${nameOf(collection).toLowerCase()}`, value);
    }
  }

  private async collectionsChanged(): Promise<void> {
    this.ctx.changed.collections = true;
    await this.ctx.collections.reload();
  }

  /** The `HookRecord` behind a record given to `app.save` / `app.delete`. */
  private async record(model: unknown, saved = false): Promise<HookRecord> {
    const pending = lookupOf(model);
    const record = pending
      ? await pending
      : model instanceof MigrationRecord
        ? saved
          ? model.stored()
          : model.resolve(this.ctx.data, (c) => this.ctx.collection(c))
        : model;
    if (!(record instanceof HookRecord)) {
      throw new TypeError(
        saved
          ? 'app.delete needs a stored record or collection'
          : 'app.save needs a record, a collection or the settings',
      );
    }
    return record;
  }
}

const idOf = (c: Collection): string => (typeof c.id === 'string' ? c.id : '');
const nameOf = (c: Collection): string => (typeof c.name === 'string' ? c.name : '');

/** An auth record's new password goes with its confirmation (the API asks for both; PocketBase's app doesn't). */
function confirmPassword(record: HookRecord): void {
  const changes = record.changes();
  if (
    record.collectionModel().type === 'auth' &&
    changes.password !== undefined &&
    changes.passwordConfirm === undefined
  ) {
    record.set('passwordConfirm', changes.password);
  }
}
