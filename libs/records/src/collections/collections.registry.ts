import { Injectable } from '@nestjs/common';
import type { CollectionModel } from '@lib/schema';
import type { SchemaLookup } from '@lib/query';

/**
 * The in-memory copy of every collection definition, shared by the services of one process.
 * Reloaded whole after any collection change (a handful of rows), so lookups never hit the database.
 */
@Injectable()
export class CollectionsRegistry implements SchemaLookup {
  private byId = new Map<string, CollectionModel>();
  private byName = new Map<string, CollectionModel>();
  private all: CollectionModel[] = [];

  replaceAll(collections: CollectionModel[]): void {
    this.all = collections;
    this.byId = new Map(collections.map((c) => [c.id, c]));
    this.byName = new Map(collections.map((c) => [c.name.toLowerCase(), c]));
  }

  findCollection(nameOrId: string): CollectionModel | undefined {
    return this.byId.get(nameOrId) ?? this.byName.get(nameOrId.toLowerCase());
  }

  allCollections(): readonly CollectionModel[] {
    return this.all;
  }
}
