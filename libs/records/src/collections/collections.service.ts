import { Injectable, OnModuleInit } from '@nestjs/common';
import { BadRequestError, NotFoundError, ValidationFailed } from '@lib/core';
import { Database, DependentViewError, TxExecutor } from '@lib/database';
import { EventBus } from '@lib/events';
import { QueryCompiler } from '@lib/query';
import { buildCollection, initialCollections, scaffold, withoutSecrets, type CollectionModel } from '@lib/schema';
import { CollectionRepository } from './collection.repository';
import { CollectionsRegistry } from './collections.registry';
import { ImportIndex, mergeFields, planDrops } from './collections-import';
import { checkRules, lookupWith } from './rule-check';
import { withRuleIndexes } from './rule-indexes';
import { readSchemaStamp } from './schema-stamp';
import { createStorage, dropStorage, updateStorage, viewDependency } from './table-sync';
import { checkViews, dependentViews } from './view-dependencies';
import { viewFields } from './view-fields';

/** Collections CRUD (superusers only; the controller checks that): definitions plus their tables. */
@Injectable()
export class CollectionsService implements OnModuleInit {
  private loaded: string | null = null;

  constructor(
    private readonly database: Database,
    private readonly repository: CollectionRepository,
    private readonly registry: CollectionsRegistry,
    private readonly compiler: QueryCompiler,
    private readonly bus: EventBus,
  ) {}

  async onModuleInit(): Promise<void> {
    await this.reload();
    if (!this.registry.findCollection('_superusers')) {
      await this.database.schemaTransaction(async (tx) => {
        // Another process on the same file (services starting together) may have made them while this
        // one waited for the write lock.
        if ((await this.repository.findAll(tx)).some((c) => c.name === '_superusers')) {
          return;
        }
        for (const input of initialCollections()) {
          await this.save(tx, input, undefined);
        }
      });
      await this.reload();
    }
  }

  /** Reads every collection again; the stamp first, so a change racing the read only makes it look older. */
  async reload(): Promise<void> {
    const stamp = await readSchemaStamp(this.database);
    this.registry.replaceAll(await this.repository.findAllSince(this.registry.allCollections()));
    this.loaded = stamp.collections;
    this.compiler.clear();
  }

  /** The `_collections` stamp the registry was loaded under (`readSchemaStamp`). */
  loadedStamp(): string | null {
    return this.loaded;
  }

  /** A collection by id or name, or undefined. */
  find(idOrName: string): CollectionModel | undefined {
    return this.registry.findCollection(idOrName) ?? undefined;
  }

  /** A collection by id or name, or a 404. */
  get(idOrName: string): CollectionModel {
    const collection = this.registry.findCollection(idOrName);
    if (!collection) {
      throw new NotFoundError();
    }
    return collection;
  }

  /** Every collection, as the registry holds them. */
  all(): readonly CollectionModel[] {
    return this.registry.allCollections();
  }

  scaffolds() {
    return { auth: scaffold('auth'), base: scaffold('base'), view: scaffold('view') };
  }

  async create(input: unknown): Promise<CollectionModel> {
    const { saved, stamp } = await this.database.schemaTransaction(async (tx) => {
      const { all, cached } = await this.snapshot(tx);
      const made = await this.save(tx, input, undefined, all);
      return { saved: made, stamp: await this.stampAfter(tx, cached) };
    });
    await this.changed(saved.id, stamp, (all) => [...all.filter((c) => c.id !== saved.id), saved]);
    return withoutSecrets(saved);
  }

  async update(idOrName: string, input: unknown): Promise<CollectionModel> {
    const known = this.get(idOrName);
    const views = new Map<string, CollectionModel>();
    const { saved, stamp } = await this.database.schemaTransaction(async (tx) => {
      const { all, cached } = await this.snapshot(tx);
      const existing = all.find((c) => c.id === known.id);
      if (!existing) {
        throw new NotFoundError();
      }
      const made = await this.save(tx, input, existing, all, true, views);
      return { saved: made, stamp: await this.stampAfter(tx, cached) };
    });
    await this.changed(saved.id, stamp, (all) => all.map((c) => (c.id === saved.id ? saved : (views.get(c.id) ?? c))));
    return withoutSecrets(saved);
  }

  async delete(idOrName: string): Promise<void> {
    const collection = this.get(idOrName);
    const views = new Map<string, CollectionModel>();
    const stamp = await this.database.schemaTransaction(async (tx) => {
      const { all, cached } = await this.snapshot(tx);
      await this.remove(tx, collection, all, views);
      return this.stampAfter(tx, cached);
    });
    await this.changed(collection.id, stamp, (all) =>
      all.filter((c) => c.id !== collection.id).map((c) => views.get(c.id) ?? c),
    );
  }

  /**
   * Every collection as a schema transaction sees it: the registry's copy when `_collections` is as it was when
   * the registry was loaded (no need to read and parse every definition again), else read from the database.
   */
  private async snapshot(tx: TxExecutor): Promise<{ all: CollectionModel[]; cached: boolean }> {
    const { collections } = await readSchemaStamp(tx);
    return collections === this.loaded
      ? { all: [...this.registry.allCollections()], cached: true }
      : { all: await this.repository.findAllSince(this.registry.allCollections(), tx), cached: false };
  }

  /** The stamp after this transaction's own change, when the registry plus that change is the whole picture. */
  private async stampAfter(tx: TxExecutor, cached: boolean): Promise<string | null> {
    return cached ? (await readSchemaStamp(tx)).collections : null;
  }

  /** `PUT /api/collections/import`: upsert by id then name; `deleteMissing` drops the unlisted ones. */
  async import(input: unknown): Promise<void> {
    const body = input as { collections?: unknown; deleteMissing?: unknown } | null;
    if (!body || !Array.isArray(body.collections) || body.collections.length === 0) {
      throw new ValidationFailed(
        { collections: { code: 'validation_required', message: 'Cannot be blank.' } },
        'Failed to import collections.',
      );
    }
    const items = body.collections as Record<string, unknown>[];
    await this.database.schemaTransaction((tx) => this.importIn(tx, items, body.deleteMissing === true));
    await this.changed('*');
  }

  /** An import inside a schema transaction the caller holds (see `saveIn`). */
  async importIn(tx: TxExecutor, items: Record<string, unknown>[], deleteMissing: boolean): Promise<void> {
    const index = new ImportIndex(await this.repository.findAll(tx));
    // Tables changed in place (old and new names): the views reading them are checked once, at the end.
    const touched = new Set<string>();
    const ordered = [...items].sort((a, b) => Number(a?.type === 'view') - Number(b?.type === 'view'));
    const kept = new Set<string>();
    for (const [i, item] of ordered.entries()) {
      const existing = index.match(item);
      try {
        const saved = await this.save(tx, mergeFields(item, existing, deleteMissing), existing, index.all(), false);
        index.put(saved, existing);
        kept.add(saved.id);
        if (existing && saved.type !== 'view') {
          touched.add(existing.name).add(saved.name);
        }
      } catch (error) {
        if (error instanceof ValidationFailed) {
          throw new ValidationFailed(
            { collections: { [String(items.indexOf(item) >= 0 ? items.indexOf(item) : i)]: error.data } },
            'Failed to import collections.',
          );
        }
        throw error;
      }
    }
    let remaining = index.all();
    if (deleteMissing) {
      const drops = planDrops(remaining, kept);
      for (const c of drops) {
        await dropStorage(tx, c, 'Failed to import collections.');
        await this.repository.delete(c.id, tx);
        touched.add(c.name);
      }
      const dropped = new Set(drops.map((c) => c.id));
      remaining = remaining.filter((c) => !dropped.has(c.id));
    }
    await this.syncViews(tx, dependentViews(remaining, touched), remaining, 'Failed to import collections.');
  }

  /**
   * Creates (`idOrName` undefined) or updates a collection inside a schema transaction the caller holds (a
   * migration): no registry patch and no event; the caller reloads (`reload()`) and, once committed, calls
   * `published()`.
   */
  async saveIn(tx: TxExecutor, input: unknown, idOrName?: string): Promise<CollectionModel> {
    const all = await this.repository.findAll(tx);
    const existing = idOrName === undefined ? undefined : findIn(all, idOrName);
    if (idOrName !== undefined && !existing) {
      throw new NotFoundError(`Missing collection "${idOrName}".`);
    }
    return this.save(tx, input, existing, all);
  }

  /** Deletes a collection inside a schema transaction the caller holds (see `saveIn`). */
  async deleteIn(tx: TxExecutor, idOrName: string): Promise<void> {
    const all = await this.repository.findAll(tx);
    const collection = findIn(all, idOrName);
    if (!collection) {
      throw new NotFoundError(`Missing collection "${idOrName}".`);
    }
    await this.remove(tx, collection, all);
  }

  /** After changes made with the `…In` methods committed: the registry is read again and other processes told. */
  async published(): Promise<void> {
    await this.changed('*');
  }

  /** `checkDependents`: views reading a changed table are checked here (an import checks them once at its end). */
  private async save(
    tx: TxExecutor,
    input: unknown,
    existing: CollectionModel | undefined,
    current?: CollectionModel[],
    checkDependents = true,
    viewChanges?: Map<string, CollectionModel>,
  ): Promise<CollectionModel> {
    const failMessage = existing ? 'Failed to update collection.' : 'Failed to create collection.';
    const all = current ?? (await this.repository.findAll(tx));
    const others = all.filter((c) => c.id !== existing?.id);
    const collection = withRuleIndexes(buildCollection(input, existing, others), existing, others);
    const registry = new CollectionsRegistry();
    registry.replaceAll(all);
    const lookup = lookupWith(collection, {
      findCollection: (n) => registry.findCollection(n),
      allCollections: () => all,
    });
    const relationErrors = this.checkRelations(collection, (n) => lookup.findCollection(n));
    const ruleErrors = collection.type === 'view' ? {} : checkRules(this.compiler, collection, lookup);
    if (Object.keys(relationErrors).length + Object.keys(ruleErrors).length > 0) {
      throw new ValidationFailed(
        { ...ruleErrors, ...(Object.keys(relationErrors).length ? { fields: relationErrors } : {}) },
        failMessage,
      );
    }
    try {
      if (existing) {
        await updateStorage(tx, existing, collection);
      } else {
        await createStorage(tx, collection);
      }
      if (collection.type === 'view') {
        collection.fields = await viewFields(tx, collection.name, all, failMessage);
        Object.assign(collection, checkRules(this.compiler, collection, lookupWith(collection, lookup)));
      }
    } catch (error) {
      if (error instanceof ValidationFailed || error instanceof BadRequestError) {
        throw error;
      }
      if (error instanceof DependentViewError) {
        throw viewDependency(error, failMessage);
      }
      const message = error instanceof Error ? error.message.replace(/^.*?: /, '') : 'unknown error';
      const [key, code] =
        collection.type === 'view'
          ? ['viewQuery', 'validation_invalid_view_query']
          : ['indexes', 'validation_invalid_schema'];
      throw new ValidationFailed({ [key]: { code, message: `Invalid schema: ${message.slice(0, 200)}` } }, failMessage);
    }
    if (existing) {
      await this.repository.update(collection, tx);
      if (collection.type !== 'view' && checkDependents) {
        const after = all.map((c) => (c.id === collection.id ? collection : c));
        const views = dependentViews(others, [existing.name, collection.name]);
        await this.syncViews(tx, views, after, failMessage, viewChanges);
      }
    } else {
      await this.repository.insert(collection, tx);
    }
    return collection;
  }

  private checkRelations(collection: CollectionModel, find: (n: string) => CollectionModel | undefined) {
    const errors: Record<string, unknown> = {};
    collection.fields.forEach((field, i) => {
      if (field.type !== 'relation') {
        return;
      }
      const target = find(String(field.collectionId ?? ''));
      if (!target) {
        errors[String(i)] = {
          collectionId: { code: 'validation_missing_collection', message: "The relation collection doesn't exist." },
        };
      } else if (target.type === 'view' && collection.type !== 'view') {
        errors[String(i)] = {
          collectionId: {
            code: 'validation_relation_to_view',
            message: 'Non view collections cannot reference view collections.',
          },
        };
      }
    });
    return errors;
  }

  private async remove(
    tx: TxExecutor,
    collection: CollectionModel,
    all: readonly CollectionModel[],
    viewChanges?: Map<string, CollectionModel>,
  ): Promise<void> {
    if (collection.system) {
      throw new BadRequestError('System collections cannot be deleted.');
    }
    const referenced = all.some(
      (c) => c.id !== collection.id && c.fields.some((f) => f.type === 'relation' && f.collectionId === collection.id),
    );
    if (referenced) {
      throw new BadRequestError('The collection is referenced by a relation field of another collection.');
    }
    await dropStorage(tx, collection, 'Failed to delete collection.');
    await this.repository.delete(collection.id, tx);
    const others = all.filter((c) => c.id !== collection.id);
    await this.syncViews(
      tx,
      dependentViews(others, [collection.name]),
      others,
      'Failed to delete collection.',
      viewChanges,
    );
  }

  /** Dependent views checked, their fields re-derived; those that changed are collected in `changes`. */
  private async syncViews(
    tx: TxExecutor,
    views: readonly CollectionModel[],
    all: readonly CollectionModel[],
    message: string,
    changes?: Map<string, CollectionModel>,
  ): Promise<void> {
    const changed = await checkViews(tx, views, all, message, (view) => this.repository.update(view, tx));
    for (const view of changed) {
      changes?.set(view.id, view);
    }
  }

  /**
   * After a committed change: the registry is patched (`apply`) when the transaction started from it (`stamp`
   * set), otherwise read again; then the other processes hear of it.
   */
  private async changed(
    collectionId: string,
    stamp: string | null = null,
    apply?: (all: readonly CollectionModel[]) => CollectionModel[],
  ): Promise<void> {
    if (stamp !== null && apply) {
      this.registry.replaceAll(apply(this.registry.allCollections()));
      this.loaded = stamp;
      this.compiler.clear();
    } else {
      await this.reload();
    }
    this.bus.publish('collection.changed', { collectionId });
  }
}

function findIn(all: readonly CollectionModel[], idOrName: string): CollectionModel | undefined {
  return all.find((c) => c.id === idOrName) ?? all.find((c) => c.name.toLowerCase() === idOrName.toLowerCase());
}
