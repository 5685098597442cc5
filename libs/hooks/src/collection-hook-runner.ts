import { Injectable, Logger } from '@nestjs/common';
import { BadRequestError } from '@lib/core';
import { CollectionHooks, type CollectionWrite } from '@lib/records';
import { withoutSecrets, type CollectionModel } from '@lib/schema';
import { runChain } from './hook-chain';
import { HookDataService } from './hook-data.service';
import { HookRegistry } from './hook-registry';
import type { CollectionEvent } from './hook-types';
import { Collection } from './migrations/migration-models';
import { text } from './jsvm/text';

const CAPITAL = { create: 'Create', update: 'Update', delete: 'Delete' } as const;

/** The collection hook names, as PocketBase has them, that nestbase fires (for changes made through the API). */
export const COLLECTION_HOOKS = (['create', 'update', 'delete'] as const).flatMap((a) => [
  `onCollection${CAPITAL[a]}Request`,
  `onCollection${CAPITAL[a]}`,
  `onCollection${CAPITAL[a]}Execute`,
  `onCollectionAfter${CAPITAL[a]}Success`,
]);

type Obj = Record<string, unknown>;

/**
 * `onCollectionCreateRequest`, `onCollectionCreate`, `onCollectionCreateExecute` (in that order, one chain around the
 * change; `e.collection` may be changed before `e.next()`), then `onCollectionAfterCreateSuccess`; the same for
 * update and delete. Tags name collections.
 */
@Injectable()
export class CollectionHookRunner extends CollectionHooks {
  private readonly logger = new Logger('hooks');

  constructor(
    private readonly registry: HookRegistry,
    private readonly data: HookDataService,
  ) {
    super();
  }

  override async write(
    change: CollectionWrite,
    apply: (input: Obj) => Promise<CollectionModel | null>,
  ): Promise<CollectionModel | null> {
    const name = CAPITAL[change.action];
    const target = { id: change.existing?.id ?? '', name: text(change.input.name ?? change.existing?.name) };
    const chain = [`onCollection${name}Request`, `onCollection${name}`, `onCollection${name}Execute`].flatMap((n) =>
      this.registry.handlers<CollectionEvent>(n, target),
    );
    const after = this.registry.handlers<CollectionEvent>(`onCollectionAfter${name}Success`, target);
    if (chain.length === 0 && after.length === 0) {
      return apply(change.input);
    }
    const initial = {
      ...(change.existing ? (withoutSecrets(change.existing) as unknown as Obj) : {}),
      ...change.input,
    };
    const collection = new Collection(initial);
    const start = collection.toJSON();
    const event: CollectionEvent = { app: this.data.api(null), collection, next: async () => undefined };
    let saved: CollectionModel | null = null;
    let ran = false;
    await runChain(chain, event, async () => {
      saved = await apply({ ...change.input, ...changedKeys(start, collection.toJSON()) });
      ran = true;
    });
    if (!ran) {
      throw new BadRequestError('The operation was stopped by a hook.');
    }
    const done = saved ?? change.existing;
    const e: CollectionEvent = {
      app: this.data.api(null),
      collection: new Collection(done ? withoutSecrets(done) : initial),
      next: async () => undefined,
    };
    for (const handler of after) {
      await Promise.resolve(handler(e)).catch((error: unknown) =>
        this.logger.error(`onCollectionAfter${name}Success of ${target.name} failed: ${String(error)}`),
      );
    }
    return saved;
  }
}

/** The top-level keys whose value the hooks changed. */
function changedKeys(before: Obj, after: Obj): Obj {
  return Object.fromEntries(
    Object.entries(after).filter(([key, value]) => JSON.stringify(before[key]) !== JSON.stringify(value)),
  );
}
