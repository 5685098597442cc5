import { createHash } from 'node:crypto';
import type { CollectionModel, FieldModel } from '@lib/schema';

/** The options a view's file field takes over from the file field it reads. */
const COPIED = ['maxSelect', 'maxSize', 'mimeTypes', 'thumbs', 'protected'] as const;

/**
 * The id of a view field read straight from a file field: derived from the source, so the source can
 * be found again without storing anything the collection API would output.
 */
export function viewFileFieldId(sourceCollectionId: string, sourceFieldId: string, name: string): string {
  const digest = createHash('sha256').update(`${sourceCollectionId}\0${sourceFieldId}\0${name}`).digest('hex');
  return `_clone_${digest.slice(0, 12)}`;
}

/** A `file` view field cloned from `source` (options included), named after the view column. */
export function cloneFileField(collection: CollectionModel, source: FieldModel, name: string): FieldModel {
  const options = Object.fromEntries(COPIED.filter((o) => source[o] !== undefined).map((o) => [o, source[o]]));
  return {
    id: viewFileFieldId(collection.id, source.id, name),
    name,
    type: 'file',
    system: false,
    hidden: source.hidden,
    presentable: false,
    ...options,
  };
}

/** The base (or auth) collection and file field a view's file field was cloned from. */
export function viewFileSource(
  viewField: FieldModel,
  collections: readonly CollectionModel[],
): { collection: CollectionModel; field: FieldModel } | undefined {
  for (const collection of collections) {
    if (collection.type === 'view') {
      continue;
    }
    for (const field of collection.fields) {
      if (field.type === 'file' && viewFileFieldId(collection.id, field.id, viewField.name) === viewField.id) {
        return { collection, field };
      }
    }
  }
  return undefined;
}
