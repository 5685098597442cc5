import type { CollectionModel } from '@lib/schema';

/** What the compiler needs to know of the other collections (relations, @collection, back-relations). */
export interface SchemaLookup {
  /** By name (case-insensitive) or id; undefined when there is none. */
  findCollection(nameOrId: string): CollectionModel | undefined;
  /** All collections, for back-relation (`<coll>_via_<field>`) resolution. */
  allCollections(): readonly CollectionModel[];
}

/** The request a rule or filter is evaluated for (`@request.*`). */
export interface RequestInfo {
  /** The authenticated record with every field (hidden ones too) plus collectionId/collectionName, or null for a guest. */
  auth: Record<string, unknown> | null;
  body: Record<string, unknown>;
  query: Record<string, string>;
  headers: Record<string, string>;
  method: string;
  /** default | oauth2 | otp | password | realtime | protectedFile | batch | expand */
  context: string;
}

export interface CompileOptions {
  /** The collection whose rows the expression filters; its table is referenced through `alias`. */
  collection: CollectionModel;
  schema: SchemaLookup;
  /** `rule`: an API rule (hidden fields, @collection and @request allowed). `filter`: a client's filter/sort. */
  mode: 'rule' | 'filter';
  /** Superusers may use @collection/@request in filters; others get a 403. Ignored in `rule` mode. */
  isSuperuser: boolean;
  /** SQL alias of the main table in the surrounding query. */
  alias: string;
}

/**
 * A compiled expression: SQL text with `?` placeholders, compiled once per (expression, schema version),
 * and `bind(request)` producing the parameter values in placeholder order for one request.
 */
export interface CompiledExpression {
  sql: string;
  bind(request: RequestInfo): unknown[];
}
