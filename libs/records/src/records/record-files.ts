import { Inject, Injectable, Optional } from '@nestjs/common';
import { BadRequestError, type UploadedFile } from '@lib/core';
import type { CollectionModel } from '@lib/schema';
import type { RecordData } from './record-codec';
import type { UnitOfWork } from './record-deps';

/**
 * Where record files live: a port of the records lib, provided by the storage lib. `save` runs
 * inside the record's transaction (undone by `discard` on rollback); `remove*` only queue the
 * deletion and are called after commit. `intend` notes a write's files in the storage before any is
 * stored or replaced, `settled` drops the note once the commit or rollback was cleaned up: a process
 * killed in between leaves the note, and the storage's sweep removes what the record doesn't reference.
 */
export abstract class RecordFileStore {
  abstract intend(collectionId: string, recordId: string, names: string[]): Promise<string>;
  abstract settled(note: string): void;
  abstract save(collectionId: string, recordId: string, name: string, upload: UploadedFile): Promise<void>;
  abstract discard(collectionId: string, recordId: string, names: string[]): Promise<void>;
  abstract remove(collectionId: string, recordId: string, names: string[]): Promise<void>;
  abstract removeRecord(collectionId: string, recordId: string): Promise<void>;
}

/** The file names of a file field value (a string or a list). */
export function fileNames(value: unknown): string[] {
  if (Array.isArray(value)) {
    return value.map(String).filter((v) => v !== '');
  }
  return typeof value === 'string' && value !== '' ? [value] : [];
}

/**
 * A journal note written before a write's transaction (`RecordFileWriter.prenote`): the files it names for one
 * record. `save` takes it instead of noting inside the transaction when it covers the write's files; the note of a
 * write that never took it is ended once the transaction is over (`release`).
 */
export interface PreNote {
  collectionId: string;
  recordId: string;
  names: ReadonlySet<string>;
  handle: string;
  taken: boolean;
}

/** Stores a record's new uploads with its write and removes replaced or orphaned files after commit. */
@Injectable()
export class RecordFileWriter {
  constructor(@Optional() @Inject(RecordFileStore) private readonly store: RecordFileStore | null = null) {}

  async save(
    uow: UnitOfWork,
    c: CollectionModel,
    recordId: string,
    before: RecordData | null,
    after: RecordData,
    uploads: ReadonlyMap<string, UploadedFile>,
  ): Promise<void> {
    const added: [string, UploadedFile][] = [];
    const removed: string[] = [];
    for (const field of c.fields) {
      if (field.type !== 'file') {
        continue;
      }
      const now = fileNames(after[field.name]);
      for (const name of now) {
        const upload = uploads.get(name);
        if (upload) {
          added.push([name, upload]);
        }
      }
      removed.push(...fileNames(before?.[field.name]).filter((name) => !now.includes(name)));
    }
    const store = this.store;
    if (!store) {
      if (added.length > 0) {
        throw new BadRequestError('File uploads are not supported by this service.');
      }
      return;
    }
    if (added.length === 0 && removed.length === 0) {
      return;
    }
    const stored = added.map(([name]) => name);
    const names = [...stored, ...removed];
    const pre = uow.notes?.find(
      (n) => !n.taken && n.collectionId === c.id && n.recordId === recordId && names.every((name) => n.names.has(name)),
    );
    if (pre) {
      pre.taken = true;
    }
    // Noted before the transaction when it could be (a slow storage then holds no write lock), else here.
    const note = pre ? pre.handle : await store.intend(c.id, recordId, names);
    // The note goes only once the clean-up is done (a failed one leaves it for the sweep).
    uow.onRollback.push(async () => {
      await store.discard(c.id, recordId, stored);
      store.settled(note);
    });
    uow.afterCommit.push(async () => {
      if (removed.length > 0) {
        await store.remove(c.id, recordId, removed);
      }
      store.settled(note);
    });
    for (const [name, upload] of added) {
      await store.save(c.id, recordId, name, upload);
    }
  }

  /**
   * Notes, before a write's transaction, the uploads it is about to store for record `recordId` (null: none, or no
   * file store). A hook that changes the record's id or its files makes `save` note inside the transaction as before.
   */
  async prenote(collectionId: string, recordId: string, uploads: Iterable<string>): Promise<PreNote | null> {
    const names = new Set(uploads);
    if (!this.store || names.size === 0) {
      return null;
    }
    const handle = await this.store.intend(collectionId, recordId, [...names]);
    return { collectionId, recordId, names, handle, taken: false };
  }

  /** Ends the notes of `prenote` that no `save` took (the write stored nothing under them, or it rolled back). */
  release(notes: readonly PreNote[]): void {
    for (const note of notes) {
      if (!note.taken) {
        note.taken = true;
        this.store?.settled(note.handle);
      }
    }
  }

  /** Queues the removal of a deleted record's file directory once the delete has committed. */
  removeRecord(uow: UnitOfWork, c: CollectionModel, recordId: string): void {
    const store = this.store;
    if (store && c.fields.some((f) => f.type === 'file')) {
      uow.afterCommit.push(() => store.removeRecord(c.id, recordId));
    }
  }
}
