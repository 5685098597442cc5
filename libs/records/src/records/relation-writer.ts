import { Injectable } from '@nestjs/common';
import { BadRequestError, fieldError, type FieldErrors } from '@lib/core';
import type { SqlExecutor } from '@lib/database';
import { FIELD_KINDS, isMultiple, type CollectionModel, type FieldModel } from '@lib/schema';
import { CollectionsRegistry } from '../collections/collections.registry';
import { fromRow, toColumns, type RecordData } from './record-codec';
import { RecordFileWriter } from './record-files';
import { RecordRepository } from './record.repository';
import type { UnitOfWork } from './record-deps';

const AUTH_STATE_COLLECTIONS = ['_externalAuths', '_mfas', '_otps', '_authOrigins'];

/** Relation integrity: referenced ids must exist; deletes clean up, cascade or refuse (reference §2.1). */
@Injectable()
export class RelationWriter {
  constructor(
    private readonly registry: CollectionsRegistry,
    private readonly repository: RecordRepository,
    private readonly files: RecordFileWriter,
  ) {}

  async checkExisting(
    c: CollectionModel,
    data: RecordData,
    changed: Set<string>,
    errors: FieldErrors,
    db: SqlExecutor,
  ): Promise<void> {
    for (const field of c.fields) {
      if (field.type !== 'relation' || !changed.has(field.name) || errors[field.name]) {
        continue;
      }
      const ids = Array.isArray(data[field.name])
        ? (data[field.name] as string[])
        : data[field.name]
          ? [String(data[field.name])]
          : [];
      const target = this.registry.findCollection(String(field.collectionId));
      if (ids.length === 0 || !target) {
        continue;
      }
      const found = await this.repository.findByIds(target, ids, [], db);
      if (found.length !== ids.length) {
        errors[field.name] = fieldError(
          'validation_missing_rel_records',
          'Failed to find all relation records with the provided ids.',
        );
      }
    }
  }

  /** Deletes a record after removing its id from every relation that points at it. */
  async deleteWithReferences(
    uow: UnitOfWork,
    c: CollectionModel,
    record: RecordData,
    seen = new Set<string>(),
  ): Promise<void> {
    const key = `${c.id}/${String(record.id)}`;
    if (seen.has(key)) {
      return;
    }
    seen.add(key);
    for (const source of this.registry.allCollections()) {
      if (source.type === 'view') {
        continue;
      }
      for (const field of source.fields) {
        if (field.type === 'relation' && field.collectionId === c.id) {
          await this.detach(uow, source, field, record, seen);
        }
      }
    }
    if (c.type === 'auth') {
      await this.deleteAuthState(uow, c, String(record.id));
    }
    await this.repository.delete(c, String(record.id), uow.tx);
    this.files.removeRecord(uow, c, String(record.id));
    uow.events.push({ name: 'record.deleted', payload: { collectionId: c.id, collectionName: c.name, record } });
  }

  /** The auth flows' rows of a deleted auth record (external auths, MFA, OTP, login origins). */
  private async deleteAuthState(uow: UnitOfWork, c: CollectionModel, recordId: string): Promise<void> {
    for (const name of AUTH_STATE_COLLECTIONS) {
      const state = this.registry.findCollection(name);
      if (state) {
        await this.repository.deleteWhere(state, { collectionRef: c.id, recordRef: recordId }, uow.tx);
      }
    }
  }

  private async detach(
    uow: UnitOfWork,
    source: CollectionModel,
    field: FieldModel,
    target: RecordData,
    seen: Set<string>,
  ) {
    const rows = await this.repository.findReferencing(source, field, String(target.id), 100000, uow.tx);
    for (const row of rows) {
      const data = fromRow(source, row);
      if (seen.has(`${source.id}/${String(data.id)}`)) {
        continue;
      }
      const remaining = isMultiple(field) ? (data[field.name] as string[]).filter((id) => id !== target.id) : [];
      if (remaining.length === 0 && field.cascadeDelete) {
        await this.deleteWithReferences(uow, source, data, seen);
        continue;
      }
      if (remaining.length === 0 && field.required) {
        throw new BadRequestError(
          'Failed to delete record. Make sure that the record is not part of a required relation reference.',
        );
      }
      const value = isMultiple(field) ? remaining : FIELD_KINDS.relation.empty(field);
      const { names, values } = toColumns(source, { [field.name]: value });
      await this.repository.update(source, String(data.id), names, values, uow.tx);
      uow.events.push({
        name: 'record.updated',
        payload: { collectionId: source.id, collectionName: source.name, record: { ...data, [field.name]: value } },
      });
    }
  }
}
