import { Inject, Injectable, Optional } from '@nestjs/common';
import { HookPoints, NotFoundError } from '@lib/core';
import { Database } from '@lib/database';
import { QueryCompiler } from '@lib/query';
import { withoutSecrets, type CollectionModel, type FieldModel } from '@lib/schema';
import { CollectionsRegistry } from './collections.registry';
import type { ListParams } from '../records/records.service';

const plain = (name: string, type: FieldModel['type']): FieldModel => ({
  id: name,
  name,
  type,
  system: true,
  hidden: false,
  presentable: false,
});

/** `_collections` seen as a collection, so its list takes the same filter/sort language (id, created, updated, name, system, type). */
const COLLECTIONS_TABLE: CollectionModel = {
  id: '_collections',
  name: '_collections',
  type: 'base',
  system: true,
  listRule: '',
  viewRule: '',
  createRule: null,
  updateRule: null,
  deleteRule: null,
  fields: [
    plain('id', 'text'),
    plain('name', 'text'),
    plain('type', 'text'),
    plain('system', 'bool'),
    plain('created', 'text'),
    plain('updated', 'text'),
  ],
  indexes: [],
  created: '',
  updated: '',
};

@Injectable()
export class CollectionsQuery {
  constructor(
    private readonly database: Database,
    private readonly registry: CollectionsRegistry,
    private readonly compiler: QueryCompiler,
    @Optional() @Inject(HookPoints) private readonly hooks: HookPoints | null = null,
  ) {}

  /** `GET /api/collections`; `onCollectionsListRequest` gets `e.collections` and `e.result` (what is answered). */
  async list(p: ListParams) {
    const result = await this.page(p);
    if (!this.hooks?.has('onCollectionsListRequest')) {
      return result;
    }
    const copy = structuredClone(result);
    const event = { collections: copy.items, result: copy };
    return this.hooks.run('onCollectionsListRequest', event, async (e) => e.result);
  }

  /** `GET /api/collections/{c}`; `onCollectionViewRequest` gets `e.collection` (what is answered). */
  async view(idOrName: string): Promise<CollectionModel> {
    const c = this.registry.findCollection(idOrName);
    if (!c) {
      throw new NotFoundError();
    }
    if (!this.hooks?.has('onCollectionViewRequest')) {
      return withoutSecrets(c);
    }
    const event = { collection: structuredClone(withoutSecrets(c)) };
    return this.hooks.run('onCollectionViewRequest', event, async (e) => e.collection);
  }

  private async page(p: ListParams) {
    const opts = {
      collection: COLLECTIONS_TABLE,
      schema: this.registry,
      mode: 'filter' as const,
      isSuperuser: true,
      alias: 'r',
    };
    const filter = p.filter ? this.compiler.compile(p.filter, opts) : null;
    const sort = p.sort ? this.compiler.compileSort(p.sort, opts) : null;
    const request = { auth: null, body: {}, query: {}, headers: {}, method: 'GET', context: 'default' };
    const where = filter ? ` WHERE ${filter.sql}` : '';
    const whereParams = filter ? filter.bind(request) : [];
    const row = this.database.engine === 'postgres' ? '"r"."ctid"' : '"r"."rowid"';
    const order = sort?.sql ? ` ORDER BY ${sort.sql}` : ` ORDER BY "r"."created", ${row}`;
    const rows = await this.database.query<{ id: string }>(
      `SELECT "r"."id" FROM "_collections" "r"${where}${order} LIMIT ? OFFSET ?`,
      [...whereParams, ...(sort ? sort.bind(request) : []), p.perPage, (p.page - 1) * p.perPage],
    );
    const items = rows
      .map((r) => this.registry.findCollection(r.id))
      .filter((c) => c !== undefined)
      .map(withoutSecrets);
    let totalItems = -1;
    if (!p.skipTotal) {
      const count = await this.database.query<{ n: number }>(
        `SELECT COUNT(*) AS "n" FROM "_collections" "r"${where}`,
        whereParams,
      );
      totalItems = count[0]?.n ?? 0;
    }
    return {
      page: p.page,
      perPage: p.perPage,
      totalItems,
      totalPages: totalItems < 0 ? -1 : Math.ceil(totalItems / p.perPage),
      items,
    };
  }
}
