import type { CollectionModel, FieldModel } from '@lib/schema';
import type { SqlDialect } from './dialect';
import { invalidFilter } from './errors';
import type { CompileOptions } from './query.types';
import type { Frag } from './sql-fragment';

/** Max relation hops in one identifier (`a.b.c.d.e.f.field`). */
export const MAX_RELATION_DEPTH = 6;
/**
 * Max back-relations (`x_via_y`) in one identifier: each can fan one row out to every row that points at it,
 * so a chain of them multiplies (`parent.posts_via_parent.parent.posts_via_parent…`).
 */
export const MAX_BACK_RELATIONS = 2;

/** Everything identifier resolution needs, for one compile call. */
export interface ResolveContext {
  opts: CompileOptions;
  dialect: SqlDialect;
  /** A fresh unique alias with the given prefix. */
  fresh(prefix: string): string;
  /**
   * The condition a joined row of `collection` (aliased `alias`) must meet: its listRule for a non-superuser's
   * client filter (a locked rule → 400), nothing otherwise.
   */
  joinRule(collection: CollectionModel, alias: string, position: number): Frag | null;
}

/** A client filter/sort of a non-superuser: no hidden fields, joined collections filtered by their listRule. */
export function isRestricted(opts: CompileOptions): boolean {
  return opts.mode === 'filter' && !opts.isSuperuser;
}

const ID_FIELD: FieldModel = {
  id: 'text3208210256',
  name: 'id',
  type: 'text',
  system: true,
  hidden: false,
  presentable: false,
  primaryKey: true,
};

/** The field called `name` of a collection (exact name), checking hidden fields for restricted filters. */
export function findField(
  ctx: ResolveContext,
  collection: CollectionModel,
  name: string,
  position: number,
): FieldModel {
  const field = collection.fields.find((f) => f.name === name) ?? (name === 'id' ? ID_FIELD : undefined);
  if (!field) {
    throw invalidFilter(`unknown field "${name}" of collection "${collection.name}"`, position);
  }
  if (field.hidden && isRestricted(ctx.opts)) {
    throw invalidFilter(`unknown field "${name}" of collection "${collection.name}"`, position);
  }
  return field;
}

/** True when a single relation field has a single-column UNIQUE index (a back-relation through it is single). */
export function hasUniqueIndex(collection: CollectionModel, fieldName: string): boolean {
  return (collection.indexes ?? []).some((index) => {
    const match = /^\s*CREATE\s+UNIQUE\s+INDEX\b[^(]*\(([^)]*)\)\s*(WHERE\b.*)?;?\s*$/is.exec(index);
    if (!match || match[2]) {
      return false;
    }
    const columns = match[1].split(',').map(
      (c) =>
        c
          .trim()
          .replace(/^[`"[]|[`"\]]$/g, '')
          .split(/\s+/)[0],
    );
    return columns.length === 1 && columns[0].replace(/^[`"[]|[`"\]]$/g, '') === fieldName;
  });
}
