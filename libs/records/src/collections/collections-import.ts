import { BadRequestError } from '@lib/core';
import type { CollectionModel } from '@lib/schema';

type Item = Record<string, unknown>;

/** The collections of one import by id and by lowercased name, kept current as items are saved. */
export class ImportIndex {
  private readonly byId = new Map<string, CollectionModel>();
  private readonly byName = new Map<string, CollectionModel>();

  constructor(collections: readonly CollectionModel[]) {
    collections.forEach((c) => this.put(c));
  }

  /** The collection an item upserts: by id, then by name. */
  match(item: Item | null): CollectionModel | undefined {
    const byId = typeof item?.id === 'string' && item.id ? this.byId.get(item.id) : undefined;
    return byId ?? (typeof item?.name === 'string' ? this.byName.get(item.name.toLowerCase()) : undefined);
  }

  /** Records a saved collection (replacing its previous version, under its old name too). */
  put(saved: CollectionModel, previous?: CollectionModel): void {
    if (previous) {
      this.byName.delete(previous.name.toLowerCase());
    }
    this.byId.set(saved.id, saved);
    this.byName.set(saved.name.toLowerCase(), saved);
  }

  all(): CollectionModel[] {
    return [...this.byId.values()];
  }
}

/** Without `deleteMissing`, an item's fields are added to the existing collection's (same id or name replaced). */
export function mergeFields(item: Item, existing: CollectionModel | undefined, deleteMissing: boolean): Item {
  if (!existing || deleteMissing || !Array.isArray(item?.fields)) {
    return item;
  }
  const given = item.fields as { id?: string; name?: string }[];
  return {
    ...item,
    fields: [...existing.fields.filter((f) => !given.some((g) => g.id === f.id || g.name === f.name)), ...given],
  };
}

/**
 * The non-system collections an import with `deleteMissing` drops (views first: they read the tables), or a 400
 * when a collection that stays holds a relation to one of them.
 */
export function planDrops(all: readonly CollectionModel[], kept: ReadonlySet<string>): CollectionModel[] {
  const missing = all.filter((c) => !kept.has(c.id) && !c.system);
  const going = new Set(missing.map((c) => c.id));
  const held = all.some(
    (c) => !going.has(c.id) && c.fields.some((f) => f.type === 'relation' && going.has(String(f.collectionId))),
  );
  if (held) {
    throw new BadRequestError('The collection is referenced by a relation field of another collection.');
  }
  return [...missing.filter((m) => m.type === 'view'), ...missing.filter((m) => m.type !== 'view')];
}
