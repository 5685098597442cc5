import type { SqlExecutor } from '@lib/database';
import type { CollectionModel, FieldModel } from '@lib/schema';

/** A SQL fragment with its bound values, from the query compiler. */
export interface SqlPart {
  sql: string;
  params: unknown[];
}

/** The rule, filter and sort texts a list came from: what the index advisor names when its query is slow. */
export interface ListAsked {
  rule: string;
  filter: string;
  sort: string;
}

export interface ListQuery {
  where: SqlPart[];
  orderBy: SqlPart | null;
  limit: number;
  offset: number;
  asked?: ListAsked;
}

/** Ids a new row's relation field refers to, which must all exist in `collection`. */
export interface RelatedIds {
  collection: CollectionModel;
  ids: string[];
}

/** Rows of collection tables; `where` fragments reference the table as alias `r`. */
export abstract class RecordRepository {
  abstract list(c: CollectionModel, q: ListQuery, db?: SqlExecutor): Promise<Record<string, unknown>[]>;
  abstract count(c: CollectionModel, where: SqlPart[], db?: SqlExecutor, asked?: ListAsked): Promise<number>;
  abstract findById(
    c: CollectionModel,
    id: string,
    where?: SqlPart[],
    db?: SqlExecutor,
  ): Promise<Record<string, unknown> | null>;
  abstract findByIds(
    c: CollectionModel,
    ids: string[],
    where?: SqlPart[],
    db?: SqlExecutor,
  ): Promise<Record<string, unknown>[]>;
  /** Records whose relation `field` holds `id`. */
  abstract findReferencing(
    c: CollectionModel,
    field: FieldModel,
    id: string,
    limit: number,
    db?: SqlExecutor,
  ): Promise<Record<string, unknown>[]>;
  /** Inserts a row and returns it as stored (`RETURNING *`). */
  abstract insert(
    c: CollectionModel,
    names: string[],
    values: unknown[],
    db: SqlExecutor,
  ): Promise<Record<string, unknown>>;
  /**
   * Inserts a row only if every id of `related` exists in its collection (one statement, no transaction needed);
   * returns it as stored, or null when some id is missing (nothing written).
   */
  abstract insertIfRelated(
    c: CollectionModel,
    names: string[],
    values: unknown[],
    related: RelatedIds[],
    db: SqlExecutor,
  ): Promise<Record<string, unknown> | null>;
  /** Updates a row and returns it as stored, or null when no row has that id. */
  abstract update(
    c: CollectionModel,
    id: string,
    names: string[],
    values: unknown[],
    db: SqlExecutor,
  ): Promise<Record<string, unknown> | null>;
  abstract delete(c: CollectionModel, id: string, db: SqlExecutor): Promise<void>;
  abstract deleteAll(c: CollectionModel, db: SqlExecutor): Promise<void>;
  /** Deletes the rows whose columns equal all the given values. */
  abstract deleteWhere(c: CollectionModel, equals: Record<string, string>, db: SqlExecutor): Promise<void>;
}
