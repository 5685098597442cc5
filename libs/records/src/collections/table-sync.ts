import { BadRequestError } from '@lib/core';
import { DependentViewError, type IndexSpec, type TxExecutor } from '@lib/database';
import { FIELD_KINDS, parseIndex, type CollectionModel, type FieldModel, type ParsedIndex } from '@lib/schema';

function indexSpecs(collection: CollectionModel): IndexSpec[] {
  return collection.indexes.map((sql) => parseIndex(sql) as ParsedIndex);
}

function columnsOf(fields: FieldModel[]) {
  return fields.map((f) => FIELD_KINDS[f.type].column(f));
}

/** Creates the table (or SQL view) of a new collection. */
export async function createStorage(tx: TxExecutor, collection: CollectionModel): Promise<void> {
  if (collection.type === 'view') {
    await tx.ddl.createView(collection.name, collection.viewQuery ?? '');
    return;
  }
  await tx.ddl.createTable(collection.name, columnsOf(collection.fields), indexSpecs(collection));
}

/** Brings a collection's table in line with its new definition, keeping data (renames by field id). */
export async function updateStorage(tx: TxExecutor, before: CollectionModel, after: CollectionModel): Promise<void> {
  if (after.type === 'view') {
    await tx.ddl.dropView(before.name);
    await tx.ddl.createView(after.name, after.viewQuery ?? '');
    return;
  }
  if (before.name !== after.name) {
    await tx.ddl.renameTable(before.name, after.name);
  }
  const oldById = new Map(before.fields.map((f) => [f.id, f]));
  const newIds = new Set(after.fields.map((f) => f.id));
  const rename = after.fields
    .filter((f) => oldById.has(f.id) && oldById.get(f.id)!.name !== f.name)
    .map((f) => ({ from: oldById.get(f.id)!.name, to: f.name }));
  const drop = before.fields.filter((f) => !newIds.has(f.id)).map((f) => f.name);
  const changedShape = after.fields.filter((f) => {
    const old = oldById.get(f.id);
    return (
      old &&
      JSON.stringify(FIELD_KINDS[old.type].column({ ...old, name: f.name })) !==
        JSON.stringify(FIELD_KINDS[f.type].column(f))
    );
  });
  const add = columnsOf(after.fields.filter((f) => !oldById.has(f.id)));
  const indexesChanged = JSON.stringify(before.indexes) !== JSON.stringify(after.indexes) || before.name !== after.name;
  if (rename.length + drop.length + add.length > 0 || indexesChanged) {
    // Indexes go first: the table rebuild of a rename or drop would otherwise trip over them.
    await tx.ddl.setIndexes(after.name, []);
    await changeColumns(tx, after.name, rename, drop, add);
    await tx.ddl.setIndexes(after.name, indexSpecs(after));
  }
  for (const field of changedShape) {
    await convertShape(tx, after.name, oldById.get(field.id)!, field);
  }
}

/**
 * Drops first (a field may take the name of one that goes), then renames — through temporary names when a new name
 * is still held by another column (two fields swapping names) — then adds (a new field may take a renamed one's name).
 */
async function changeColumns(
  tx: TxExecutor,
  table: string,
  rename: { from: string; to: string }[],
  drop: string[],
  add: ReturnType<typeof columnsOf>,
): Promise<void> {
  if (drop.length > 0) {
    await tx.ddl.changeColumns(table, { rename: [], drop, add: [] });
  }
  const sources = new Set(rename.map((r) => r.from));
  if (rename.some((r) => sources.has(r.to))) {
    const temp = rename.map((r, i) => ({ from: r.from, to: `_nb_rename_${i}_${r.from}` }));
    await tx.ddl.changeColumns(table, { rename: temp, drop: [], add: [] });
    rename = rename.map((r, i) => ({ from: temp[i].to, to: r.to }));
  }
  if (rename.length + add.length > 0) {
    await tx.ddl.changeColumns(table, { rename, drop: [], add });
  }
}

/** Single <-> multiple select/relation/file: converts the stored values in place. */
async function convertShape(tx: TxExecutor, table: string, before: FieldModel, after: FieldModel): Promise<void> {
  const toMultiple = (after.maxSelect ?? 0) > 1 && (before.maxSelect ?? 0) <= 1;
  await tx.ddl.changeShape(table, after.name, toMultiple);
}

/**
 * PocketBase's 400 for a change a view collection depends on, from the database's refusal (PostgreSQL refuses to
 * drop or alter what a view reads; SQLite lets it happen and the views are checked after).
 */
export function viewDependency(error: DependentViewError, failMessage: string): BadRequestError {
  return new BadRequestError(failMessage, {
    view: {
      code: 'validation_view_dependency',
      message: `A view collection depends on this change: ${error.message.slice(0, 200)}`,
    },
  });
}

export async function dropStorage(tx: TxExecutor, collection: CollectionModel, failMessage: string): Promise<void> {
  try {
    if (collection.type === 'view') {
      await tx.ddl.dropView(collection.name);
    } else {
      await tx.ddl.dropTable(collection.name);
    }
  } catch (error) {
    throw error instanceof DependentViewError ? viewDependency(error, failMessage) : error;
  }
}
