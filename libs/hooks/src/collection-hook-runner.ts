import { Injectable, Logger } from '@nestjs/common';
import { BadRequestError } from '@lib/core';
import { CollectionHooks, type CollectionWrite } from '@lib/records';
import { withoutSecrets, type CollectionModel } from '@lib/schema';
import { runChain, type ChainHandler } from './hook-chain';
import { HookDataService } from './hook-data.service';
import { HookRegistry } from './hook-registry';
import type { CollectionEvent } from './hook-types';
import { Collection } from './migrations/migration-models';
import { text } from './jsvm/text';

const CAPITAL = { create: 'Create', update: 'Update', delete: 'Delete' } as const;

/** The collection hook names, as PocketBase has them, that nestbase fires (for changes made through the API). */
export const COLLECTION_HOOKS = [
  ...(['create', 'update', 'delete'] as const).flatMap((a) => [
    `onCollection${CAPITAL[a]}Request`,
    `onCollection${CAPITAL[a]}`,
    `onCollection${CAPITAL[a]}Execute`,
    `onCollectionAfter${CAPITAL[a]}Success`,
    `onCollectionAfter${CAPITAL[a]}Error`,
  ]),
  'onCollectionValidate',
];

type Obj = Record<string, unknown>;

/**
 * `onCollectionCreateRequest` around `onCollectionCreate`, `onCollectionValidate`, `onCollectionCreateExecute` (in that
 * order, one chain around the change; `e.collection` may be changed before `e.next()`); then
 * `onCollectionAfterCreateSuccess`, or `onCollectionAfterCreateError` (`e.error`) when the change or a handler inside
 * the request hooks failed. The same for update and delete (no validate hook). Tags name collections.
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
    const handlers = (...names: string[]) => names.flatMap((n) => this.registry.handlers<CollectionEvent>(n, target));
    const request = handlers(`onCollection${name}Request`);
    const validate = change.action === 'delete' ? [] : ['onCollectionValidate'];
    const model = handlers(`onCollection${name}`, ...validate, `onCollection${name}Execute`);
    const failed = handlers(`onCollectionAfter${name}Error`);
    const after = handlers(`onCollectionAfter${name}Success`);
    if (request.length + model.length + failed.length + after.length === 0) {
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
    await runChain(request, event, async () => {
      try {
        await runChain(model, event, async () => {
          saved = await apply({ ...change.input, ...changedKeys(start, collection.toJSON()) });
          ran = true;
        });
      } catch (error) {
        await this.failed(`onCollectionAfter${name}Error`, failed, collection, error);
        throw error;
      }
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

  /** The error hooks of a failed change: `e.collection`, `e.error`; their own failures are logged. */
  private async failed(hook: string, handlers: ChainHandler<CollectionEvent>[], collection: Obj, error: unknown) {
    const e: CollectionEvent = { app: this.data.api(null), collection, error, next: async () => undefined };
    await runChain(handlers, e, async () => undefined).catch((failure: unknown) =>
      this.logger.error(`${hook} of ${text(collection.name)} failed: ${String(failure)}`),
    );
  }
}

/** The top-level keys whose value the hooks changed. */
function changedKeys(before: Obj, after: Obj): Obj {
  return Object.fromEntries(
    Object.entries(after).filter(([key, value]) => JSON.stringify(before[key]) !== JSON.stringify(value)),
  );
}
