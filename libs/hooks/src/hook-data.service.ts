import { Injectable } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { AppConfig, NotFoundError } from '@lib/core';
import { Database } from '@lib/database';
import {
  CollectionsRegistry,
  fromRow,
  RecordRepository,
  RecordsService,
  RuleGuard,
  StoreSync,
  type RecordRequest,
  type UnitOfWork,
} from '@lib/records';
import type { CollectionModel } from '@lib/schema';
import { HookRecord } from './hook-record';
import type { HookData } from './hook-types';
import { awaitedFinders, placeholders, syncFinders, type AwaitedFinders, type SyncFinders } from './jsvm/sync-reads';
import { hookServices } from './jsvm/hook-services';
import type { HookServices } from './jsvm/jsvm-context';

/** The request of hook-made writes and reads: a superuser, so API rules don't apply (as PocketBase's app methods). */
export const HOOK_REQUEST: RecordRequest = {
  auth: { collectionId: '', collectionName: '_superusers', record: {}, isSuperuser: true },
  query: {},
  headers: {},
  method: 'POST',
  context: 'default',
};

/** The data helpers of hook events (`e.app.findRecordById` …), inside a unit of work or on their own. */
@Injectable()
export class HookDataService {
  constructor(
    private readonly moduleRef: ModuleRef,
    private readonly repository: RecordRepository,
    private readonly rules: RuleGuard,
    private readonly registry: CollectionsRegistry,
    private readonly sync: StoreSync,
    private readonly database: Database,
    private readonly config: AppConfig,
  ) {}

  /** Settings, mail … as PocketBase-style hook files reach them (those this process has). */
  services(): HookServices {
    return hookServices(this.moduleRef, this.config, (c) => this.collection(c));
  }

  /** Synchronous finders (SQLite only): reads on the main connection see an open write transaction's rows. */
  private syncReads: SyncFinders | undefined;

  private get syncFinders(): SyncFinders | undefined {
    if (!this.database.canQuerySync()) {
      return undefined;
    }
    this.syncReads ??= syncFinders(this.database, this.repository, this.rules, (c) => this.collection(c), HOOK_REQUEST);
    return this.syncReads;
  }

  /** The finders PocketBase-style files await where reads can't be synchronous (PostgreSQL), in `uow` if any. */
  private awaitedFinders(uow: UnitOfWork | null): AwaitedFinders | undefined {
    if (this.database.canQuerySync()) {
      return undefined;
    }
    const collection = (c: string) => this.collection(c);
    return awaitedFinders(this.database, this.repository, this.rules, collection, HOOK_REQUEST, uow?.tx);
  }

  /**
   * Brings the collection and settings caches up to date with other processes sharing the database, for work
   * that starts outside a request (a cron tick): requests get this from the auth guard.
   */
  async fresh(): Promise<void> {
    await this.sync.ensureFresh();
  }

  /** Looked up on use: RecordsService itself runs the write hooks, so it can't be a constructor dependency. */
  private get records(): RecordsService {
    return this.moduleRef.get(RecordsService, { strict: false });
  }

  /** The helpers bound to `uow` (reads and writes join its transaction), or standalone with null. */
  api(uow: UnitOfWork | null): HookData {
    return {
      findRecordById: (c, id) => this.findById(uow, c, id),
      findFirstRecordByFilter: async (c, filter, params) => {
        const [first] = await this.find(uow, c, filter, '', 1, 0, params);
        if (!first) {
          throw new NotFoundError();
        }
        return first;
      },
      findRecordsByFilter: (c, filter = '', sort = '', limit = 0, offset = 0, params = {}) =>
        this.find(uow, c, filter, sort, limit, offset, params),
      newRecord: (c, values = {}) => {
        const record = new HookRecord(this.collection(c), {});
        record.load(values);
        return record;
      },
      save: (record) => this.save(uow, record),
      delete: (record) => this.remove(uow, record),
      runInTransaction: (fn) => (uow ? fn(this.api(uow)) : this.records.inTransaction((tx) => fn(this.api(tx)))),
      sync: this.syncFinders,
      reads: this.awaitedFinders(uow),
    };
  }

  collection(idOrName: string): CollectionModel {
    const c = this.registry.findCollection(idOrName);
    if (!c) {
      throw new NotFoundError(`Missing collection "${idOrName}".`);
    }
    return c;
  }

  private async findById(uow: UnitOfWork | null, idOrName: string, id: string): Promise<HookRecord> {
    const c = this.collection(idOrName);
    const row = await this.repository.findById(c, id, [], uow?.tx);
    if (!row) {
      throw new NotFoundError();
    }
    const data = fromRow(c, row);
    return new HookRecord(c, data, { ...data });
  }

  private async find(
    uow: UnitOfWork | null,
    idOrName: string,
    filter: string,
    sort: string,
    limit: number,
    offset: number,
    params: Record<string, unknown> = {},
  ): Promise<HookRecord[]> {
    const c = this.collection(idOrName);
    const where = filter ? [this.rules.compile(c, placeholders(filter), 'filter', HOOK_REQUEST, params)] : [];
    const orderBy = this.rules.sort(c, sort, HOOK_REQUEST);
    const rows = await this.repository.list(
      c,
      { where, orderBy, limit: limit > 0 ? limit : 1_000_000, offset: Math.max(0, offset) },
      uow?.tx,
    );
    return rows.map((row) => {
      const data = fromRow(c, row);
      return new HookRecord(c, data, { ...data });
    });
  }

  private async save(uow: UnitOfWork | null, record: HookRecord): Promise<void> {
    const c = record.collectionModel();
    const body = record.changes();
    const saved = record.isNew()
      ? uow
        ? await this.records.createIn(uow, c.id, body, '', HOOK_REQUEST)
        : await this.records.create(c.id, body, '', HOOK_REQUEST)
      : uow
        ? await this.records.updateIn(uow, c.id, record.id, body, '', HOOK_REQUEST)
        : await this.records.update(c.id, record.id, body, '', HOOK_REQUEST);
    const row = await this.repository.findById(c, String(saved.id), [], uow?.tx);
    if (row) {
      record.markStored(fromRow(c, row));
    }
  }

  private async remove(uow: UnitOfWork | null, record: HookRecord): Promise<void> {
    const c = record.collectionModel();
    await (uow
      ? this.records.deleteIn(uow, c.id, record.id, HOOK_REQUEST)
      : this.records.delete(c.id, record.id, HOOK_REQUEST));
  }
}
