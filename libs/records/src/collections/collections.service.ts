import { Injectable, OnModuleInit } from '@nestjs/common';
import { BadRequestError, NotFoundError, nowString, ValidationFailed } from '@lib/core';
import { Database, TxExecutor } from '@lib/database';
import { EventBus } from '@lib/events';
import { QueryCompiler } from '@lib/query';
import { buildCollection, initialCollections, scaffold, withoutSecrets, type CollectionModel } from '@lib/schema';
import { CollectionRepository } from './collection.repository';
import { CollectionsRegistry } from './collections.registry';
import { checkRules, lookupWith } from './rule-check';
import { createStorage, dropStorage, updateStorage } from './table-sync';
import { viewFields } from './view-fields';

/** Collections CRUD (superusers only; the controller checks that): definitions plus their tables. */
@Injectable()
export class CollectionsService implements OnModuleInit {
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

  async reload(): Promise<void> {
    this.registry.replaceAll(await this.repository.findAll());
    this.compiler.clear();
  }

  /** A collection by id or name, or a 404. */
  get(idOrName: string): CollectionModel {
    const collection = this.registry.findCollection(idOrName);
    if (!collection) {
      throw new NotFoundError();
    }
    return collection;
  }

  view(idOrName: string): CollectionModel {
    return withoutSecrets(this.get(idOrName));
  }

  scaffolds() {
    return { auth: scaffold('auth'), base: scaffold('base'), view: scaffold('view') };
  }

  async create(input: unknown): Promise<CollectionModel> {
    const saved = await this.database.schemaTransaction((tx) => this.save(tx, input, undefined));
    await this.changed(saved.id);
    return withoutSecrets(saved);
  }

  async update(idOrName: string, input: unknown): Promise<CollectionModel> {
    const existing = this.get(idOrName);
    const saved = await this.database.schemaTransaction((tx) => this.save(tx, input, existing));
    await this.changed(saved.id);
    return withoutSecrets(saved);
  }

  async delete(idOrName: string): Promise<void> {
    const collection = this.get(idOrName);
    await this.database.schemaTransaction((tx) => this.remove(tx, collection));
    await this.changed(collection.id);
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
    await this.database.schemaTransaction(async (tx) => {
      const ordered = [...items].sort((a, b) => Number(a?.type === 'view') - Number(b?.type === 'view'));
      const kept = new Set<string>();
      for (const [i, item] of ordered.entries()) {
        const current = await this.repository.findAll(tx);
        const existing = current.find(
          (c) =>
            (item?.id && c.id === item.id) ||
            (typeof item?.name === 'string' && c.name.toLowerCase() === item.name.toLowerCase()),
        );
        const merged =
          existing && item && typeof item === 'object' && Array.isArray(item.fields) && body.deleteMissing !== true
            ? {
                ...item,
                fields: [
                  ...existing.fields.filter(
                    (f) =>
                      !(item.fields as { id?: string; name?: string }[]).some(
                        (g) => g.id === f.id || g.name === f.name,
                      ),
                  ),
                  ...(item.fields as unknown[]),
                ],
              }
            : item;
        try {
          kept.add((await this.save(tx, merged, existing, current)).id);
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
      if (body.deleteMissing === true) {
        let current = await this.repository.findAll(tx);
        const missing = current.filter((c) => !kept.has(c.id) && !c.system);
        const going = new Set(missing.map((c) => c.id));
        // Views first (they read the tables); relations and views among the dropped ones hold nothing back.
        for (const c of [...missing.filter((m) => m.type === 'view'), ...missing.filter((m) => m.type !== 'view')]) {
          await this.remove(tx, c, current, going);
          current = current.filter((other) => other.id !== c.id);
        }
      }
    });
    await this.changed('*');
  }

  private async save(
    tx: TxExecutor,
    input: unknown,
    existing: CollectionModel | undefined,
    current?: CollectionModel[],
  ): Promise<CollectionModel> {
    const failMessage = existing ? 'Failed to update collection.' : 'Failed to create collection.';
    const all = current ?? (await this.repository.findAll(tx));
    const others = all.filter((c) => c.id !== existing?.id);
    const collection = buildCollection(input, existing, others);
    const lookup = lookupWith(collection, {
      findCollection: (n) => all.find((c) => c.id === n || c.name.toLowerCase() === n.toLowerCase()),
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
      const message = error instanceof Error ? error.message.replace(/^.*?: /, '') : 'unknown error';
      const [key, code] =
        collection.type === 'view'
          ? ['viewQuery', 'validation_invalid_view_query']
          : ['indexes', 'validation_invalid_schema'];
      throw new ValidationFailed({ [key]: { code, message: `Invalid schema: ${message.slice(0, 200)}` } }, failMessage);
    }
    if (existing) {
      await this.repository.update(collection, tx);
      await this.checkViews(
        tx,
        all.map((c) => (c.id === collection.id ? collection : c)),
        existing.id,
        failMessage,
      );
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

  /** Deletes a collection; `going`: collections deleted in the same import, whose references don't count. */
  private async remove(
    tx: TxExecutor,
    collection: CollectionModel,
    current?: CollectionModel[],
    going: ReadonlySet<string> = new Set(),
  ): Promise<void> {
    if (collection.system) {
      throw new BadRequestError('System collections cannot be deleted.');
    }
    const all = current ?? (await this.repository.findAll(tx));
    const referenced = all.some(
      (c) =>
        c.id !== collection.id &&
        !going.has(c.id) &&
        c.fields.some((f) => f.type === 'relation' && f.collectionId === collection.id),
    );
    if (referenced) {
      throw new BadRequestError('The collection is referenced by a relation field of another collection.');
    }
    await dropStorage(tx, collection);
    await this.repository.delete(collection.id, tx);
    const left = all.filter((c) => c.id !== collection.id);
    await this.checkViews(tx, left, collection.id, 'Failed to delete collection.', going);
  }

  /**
   * View collections must still compile after a change of the tables they read (`skip`: views being dropped),
   * and their fields follow their sources' (a field made hidden stays hidden in every view that reads it).
   * `all`: every collection as it is after the change.
   */
  private async checkViews(
    tx: TxExecutor,
    all: CollectionModel[],
    changedId: string,
    message: string,
    skip: ReadonlySet<string> = new Set(),
  ): Promise<void> {
    for (const view of all) {
      if (view.type !== 'view' || view.id === changedId || skip.has(view.id)) {
        continue;
      }
      try {
        await tx.query(`SELECT * FROM "${view.name}" LIMIT 0`);
      } catch (error) {
        const reason = error instanceof Error ? error.message.replace(/^.*?: /, '').slice(0, 200) : 'invalid';
        throw new BadRequestError(message, {
          view: {
            code: 'validation_view_dependency',
            message: `View collection "${view.name}" depends on this change: ${reason}`,
          },
        });
      }
      const fields = await viewFields(tx, view.name, all, message);
      if (JSON.stringify(fields) !== JSON.stringify(view.fields)) {
        await this.repository.update({ ...view, fields, updated: nowString() }, tx);
      }
    }
  }

  private async changed(collectionId: string): Promise<void> {
    await this.reload();
    this.bus.publish('collection.changed', { collectionId });
  }
}
