import { ValidationFailed } from '@lib/core';
import type { DescribedColumn, TxExecutor } from '@lib/database';
import type { CollectionModel, FieldModel } from '@lib/schema';
import { cloneFileField, viewFileFieldId } from './view-file-source';

const invalid = (message: string, failMessage: string) =>
  new ValidationFailed({ viewQuery: { code: 'validation_invalid_view_query', message } }, failMessage);

/** Columns no view may output, whatever its rules: they hold credentials, not data. */
function isSecret(source: CollectionModel, field: FieldModel): boolean {
  return field.type === 'password' || (source.type === 'auth' && field.name === 'tokenKey');
}

/** The type of a column read from no collection field (an expression, a literal, an aggregate). */
function computedField(col: DescribedColumn): FieldModel {
  const t = col.type.toUpperCase();
  const type: FieldModel['type'] = /INT|REAL|NUM|FLOA|DOUB/.test(t)
    ? 'number'
    : /BOOL/.test(t)
      ? 'bool'
      : /TEXT|CHAR|CLOB/.test(t)
        ? 'text'
        : 'json';
  return { id: `_clone_${col.name}`, name: col.name, type, system: false, hidden: false, presentable: false };
}

/**
 * The field of one view column, after PocketBase's rules: `id` is the text primary key; a column read
 * unchanged from a collection field takes that field's whole definition under the column's name (`hidden`,
 * a relation's target, a file field's options…); another collection's `id` becomes a single relation to it.
 * Columns of internal tables and credentials (password hashes, token keys) are refused: no rule makes them
 * safe to publish.
 */
function viewField(col: DescribedColumn, all: readonly CollectionModel[], failMessage: string): FieldModel {
  const origin = col.origin;
  const source = origin && all.find((c) => c.type !== 'view' && c.name.toLowerCase() === origin.table.toLowerCase());
  if (origin && !source) {
    throw invalid(`Invalid query - "${col.name}" reads the internal table "${origin.table}"`, failMessage);
  }
  if (col.name === 'id') {
    return {
      id: '_clone_id',
      name: 'id',
      type: 'text',
      system: true,
      hidden: false,
      presentable: false,
      primaryKey: true,
    };
  }
  const field = source?.fields.find((f) => f.name.toLowerCase() === origin?.column.toLowerCase());
  if (!source || !field) {
    return computedField(col);
  }
  if (isSecret(source, field)) {
    throw invalid(`Invalid query - "${col.name}" reads the ${field.name} of "${source.name}"`, failMessage);
  }
  if (field.type === 'file') {
    return cloneFileField(source, field, col.name);
  }
  const id = viewFileFieldId(source.id, field.id, col.name);
  if (field.name === 'id') {
    return {
      id,
      name: col.name,
      type: 'relation',
      system: false,
      hidden: false,
      presentable: false,
      collectionId: source.id,
      maxSelect: 1,
    };
  }
  const { primaryKey: _pk, ...copy } = field;
  return { ...copy, id, name: col.name, system: false };
}

/** Derives a view collection's fields from the columns of its SQL view (SQLite reports each column's origin). */
export async function viewFields(
  tx: TxExecutor,
  name: string,
  all: readonly CollectionModel[],
  failMessage: string,
): Promise<FieldModel[]> {
  const columns = await tx.ddl.describe(name);
  if (!columns.some((c) => c.name === 'id')) {
    throw invalid('The view query must select an id column.', failMessage);
  }
  return columns.map((col) => viewField(col, all, failMessage));
}
