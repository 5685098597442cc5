import { BadRequestError } from '@lib/core';
import type { DescribedColumn, IndexSpec, TxExecutor } from '@lib/database';
import { FIELD_KINDS, parseIndex, type CollectionModel, type FieldModel, type ParsedIndex } from '@lib/schema';
import { cloneFileField } from './view-file-source';

function indexSpecs(collection: CollectionModel): IndexSpec[] {
  return collection.indexes.map((sql) => parseIndex(sql) as ParsedIndex);
}

function columnsOf(fields: FieldModel[]) {
  return fields.map((f) => FIELD_KINDS[f.type].column(f));
}

/** The file field a view column reads unchanged, when it reads one. */
function fileOrigin(col: DescribedColumn, all: readonly CollectionModel[]) {
  const table = col.origin ? all.find((c) => c.type !== 'view' && c.name === col.origin?.table) : undefined;
  const field = table?.fields.find((f) => f.type === 'file' && f.name === col.origin?.column);
  return table && field ? cloneFileField(table, field, col.name) : undefined;
}

/**
 * Derives a view collection's fields from the columns of its SQL view. A column read straight from a
 * file field becomes a `file` field with that field's options (its files are served from the source).
 */
export async function viewFields(
  tx: TxExecutor,
  name: string,
  previous: FieldModel[],
  all: readonly CollectionModel[] = [],
): Promise<FieldModel[]> {
  const columns = await tx.ddl.describe(name);
  if (!columns.some((c) => c.name === 'id')) {
    throw new BadRequestError('Failed to create collection.', {
      viewQuery: { code: 'validation_missing_id', message: 'The view query must select an id column.' },
    });
  }
  return columns.map((col) => {
    const file = fileOrigin(col, all);
    if (file) {
      return file;
    }
    const known = previous.find((f) => f.name === col.name && f.type !== 'file');
    if (known) {
      return known;
    }
    const t = col.type.toUpperCase();
    const type: FieldModel['type'] =
      col.name === 'id'
        ? 'text'
        : /INT|REAL|NUM|FLOA|DOUB/.test(t)
          ? 'number'
          : /BOOL/.test(t)
            ? 'bool'
            : /TEXT|CHAR|CLOB/.test(t)
              ? 'text'
              : 'json';
    return {
      id: `_clone_${col.name}`,
      name: col.name,
      type,
      system: false,
      hidden: false,
      presentable: false,
      ...(col.name === 'id' ? { primaryKey: true } : {}),
    };
  });
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
    await tx.ddl.changeColumns(after.name, { rename, drop, add });
    await tx.ddl.setIndexes(after.name, indexSpecs(after));
  }
  for (const field of changedShape) {
    await convertShape(tx, after.name, oldById.get(field.id)!, field);
  }
}

/** Single <-> multiple select/relation/file: converts the stored values in place. */
async function convertShape(tx: TxExecutor, table: string, before: FieldModel, after: FieldModel): Promise<void> {
  const col = `"${after.name}"`;
  const toMultiple = (after.maxSelect ?? 0) > 1 && (before.maxSelect ?? 0) <= 1;
  const sql = toMultiple
    ? `UPDATE "${table}" SET ${col} = CASE WHEN ${col} = '' OR ${col} IS NULL THEN '[]' ELSE json_array(${col}) END`
    : `UPDATE "${table}" SET ${col} = COALESCE(json_extract(${col}, '$[#-1]'), '') WHERE json_valid(${col})`;
  await tx.run(sql);
}

export async function dropStorage(tx: TxExecutor, collection: CollectionModel): Promise<void> {
  if (collection.type === 'view') {
    await tx.ddl.dropView(collection.name);
  } else {
    await tx.ddl.dropTable(collection.name);
  }
}
