import { Injectable } from '@nestjs/common';
import { NotFoundError } from '@lib/core';
import { CollectionsRegistry, fileNames, fromRow, RecordRepository, viewFileSource } from '@lib/records';
import type { CollectionModel, FieldModel } from '@lib/schema';
import { isSafeSegment } from './storage-key';

/** A requested file: the collection whose rules apply, its field, and where its bytes are stored. */
export interface LocatedFile {
  collection: CollectionModel;
  field: FieldModel;
  /** Checked with `collection`'s view rule; also true when a view's source field is protected. */
  isProtected: boolean;
  storedIn: { collectionId: string; recordId: string };
  /** The record of the URL (a view's row for a view collection). */
  record: Record<string, unknown>;
}

/**
 * Finds the record file named in a file URL. Files of a view collection are stored with the source
 * record they were read from: the view field's id names the source collection and field, and the
 * source record is the one with the view row's id when it holds the file, else the one holding it.
 */
@Injectable()
export class FileLocator {
  constructor(
    private readonly registry: CollectionsRegistry,
    private readonly records: RecordRepository,
  ) {}

  async locate(collection: string, recordId: string, filename: string): Promise<LocatedFile> {
    const c = this.registry.findCollection(collection);
    if (!c || !isSafeSegment(recordId) || !isSafeSegment(filename)) {
      throw new NotFoundError();
    }
    const row = await this.records.findById(c, recordId);
    const record = row ? fromRow(c, row) : null;
    const field = record ? fieldHolding(c.fields, record, filename) : undefined;
    if (!field || !record) {
      throw new NotFoundError();
    }
    if (c.type !== 'view') {
      return {
        collection: c,
        field,
        isProtected: field.protected === true,
        storedIn: { collectionId: c.id, recordId },
        record,
      };
    }
    const source = viewFileSource(field, this.registry.allCollections());
    const sourceId = source ? await this.sourceRecordId(source.collection, source.field, recordId, filename) : null;
    if (!source || sourceId === null) {
      throw new NotFoundError();
    }
    return {
      collection: c,
      field,
      isProtected: field.protected === true || source.field.protected === true,
      storedIn: { collectionId: source.collection.id, recordId: sourceId },
      record,
    };
  }

  private async sourceRecordId(
    source: CollectionModel,
    field: FieldModel,
    viewRowId: string,
    filename: string,
  ): Promise<string | null> {
    const same = await this.records.findById(source, viewRowId);
    if (same && fileNames(fromRow(source, same)[field.name]).includes(filename)) {
      return viewRowId;
    }
    const [holder] = await this.records.findReferencing(source, field, filename, 1);
    return holder ? String(holder.id) : null;
  }
}

function fieldHolding(fields: FieldModel[], record: Record<string, unknown>, filename: string) {
  return fields.find((f) => f.type === 'file' && fileNames(record[f.name]).includes(filename));
}
