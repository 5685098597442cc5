import { withoutSecrets, type CollectionModel } from '@lib/schema';
import { snakeCase } from './migration-names';

// The code of the migration files nestbase writes: PocketBase's shape, `migrate((app) => {…}, (app) => {…})`,
// with collections as JSON literals (token and OAuth2 client secrets left out: files go into version control).

/** A collection as a migration file holds it: no secrets, no timestamps. */
export function collectionJson(collection: CollectionModel): Record<string, unknown> {
  const { created: _created, updated: _updated, ...rest } = withoutSecrets(collection);
  return rest;
}

/** A JSON literal indented to sit at `depth` levels of two spaces. */
function literal(value: unknown, depth = 1): string {
  return JSON.stringify(value, null, 2).replace(/\n/g, `\n${'  '.repeat(depth)}`);
}

function file(comment: string, up: string, down: string): string {
  return `// ${comment}\nmigrate((app) => {\n${up}\n}, (app) => {\n${down}\n});\n`;
}

/** `nestbase migrate create NAME`. */
export function blankMigration(): string {
  return file(
    'Applied by `nestbase migrate up` (and at start); reverted by `nestbase migrate down`.',
    '  // add up queries...',
    '  // add down queries...',
  );
}

const find = (c: CollectionModel) => `  const collection = app.findCollectionByNameOrId(${JSON.stringify(c.id)});`;
const recreate = (c: CollectionModel) =>
  `  const collection = new Collection(${literal(collectionJson(c))});\n  return app.save(collection);`;
const remove = (c: CollectionModel) => `${find(c)}\n  return app.delete(collection);`;
const apply = (c: CollectionModel) =>
  `${find(c)}\n  unmarshal(${literal(collectionJson(c))}, collection);\n  return app.save(collection);`;

/** automigrate: a collection was created (down deletes it). */
export function createdMigration(c: CollectionModel): string {
  return file(`Written by --automigrate: created collection "${c.name}".`, recreate(c), remove(c));
}

/** automigrate: a collection changed (up applies the new definition, down the old one). */
export function updatedMigration(before: CollectionModel, after: CollectionModel): string {
  return file(`Written by --automigrate: updated collection "${after.name}".`, apply(after), apply(before));
}

/** automigrate: a collection was deleted (down creates it again, without its records). */
export function deletedMigration(c: CollectionModel): string {
  return file(`Written by --automigrate: deleted collection "${c.name}".`, remove(c), recreate(c));
}

/** `nestbase migrate collections`: every collection given, imported with deleteMissing on up. */
export function snapshotMigration(collections: readonly CollectionModel[]): string {
  const json = collections.map(collectionJson);
  return file(
    'Written by `nestbase migrate collections`: the collections as they were; up makes them so again (collections missing from the list are deleted).',
    `  const snapshot = ${literal(json)};\n  return app.importCollections(snapshot, true);`,
    '  return null;',
  );
}

export interface GeneratedMigration {
  /** The name part after the timestamp: `created_posts`. */
  suffix: string;
  code: string;
}

const same = (a: CollectionModel, b: CollectionModel) =>
  JSON.stringify(collectionJson(a)) === JSON.stringify(collectionJson(b));
const tablesFirst = (a: CollectionModel, b: CollectionModel) => Number(a.type === 'view') - Number(b.type === 'view');

/**
 * The migrations that take `before` to `after`, one per collection created, changed or deleted (matched by id):
 * creations, then changes (tables before views, which read them), then deletions (views first).
 */
export function collectionChanges(
  before: readonly CollectionModel[],
  after: readonly CollectionModel[],
): GeneratedMigration[] {
  const old = new Map(before.map((c) => [c.id, c]));
  const now = new Set(after.map((c) => c.id));
  const ordered = [...after].sort(tablesFirst);
  const created = ordered.filter((c) => !old.has(c.id));
  const changed = ordered.filter((c) => old.has(c.id) && !same(old.get(c.id)!, c));
  const deleted = [...before]
    .sort(tablesFirst)
    .reverse()
    .filter((c) => !now.has(c.id));
  return [
    ...created.map((c) => ({ suffix: `created_${snakeCase(c.name)}`, code: createdMigration(c) })),
    ...changed.map((c) => ({ suffix: `updated_${snakeCase(c.name)}`, code: updatedMigration(old.get(c.id)!, c) })),
    ...deleted.map((c) => ({ suffix: `deleted_${snakeCase(c.name)}`, code: deletedMigration(c) })),
  ];
}
