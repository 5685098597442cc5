import type { CollectionModel } from '@lib/schema';
import { newRecordInput } from './direct-create';
import { updateFileNames } from './file-input';
import { fromRow } from './record-codec';
import type { PreNote, RecordFileWriter } from './record-files';
import type { InputResult } from './record-input';
import type { RecordRepository, SqlPart } from './record.repository';
import type { RecordRequest } from './record-request';
import type { RuleGuard } from './rule-guard';

/** What a create works out before its transaction and `createIn` takes as `prepared`: its rule and its input. */
export interface PreparedCreate {
  rule: SqlPart[];
  input: InputResult;
}

/**
 * The upload journal's notes of writes, written before their transaction: on S3 a note is a PUT of its own, and a
 * slow storage must not hold the database's write lock. `RecordFileWriter.save` takes the note that covers the files
 * it stores and removes (else it notes inside the transaction as before); one it didn't take is ended once the
 * transaction is over (`release`).
 */
export class WriteNotes {
  constructor(
    private readonly repository: RecordRepository,
    private readonly rules: RuleGuard,
    private readonly files: RecordFileWriter,
  ) {}

  /** A create's rule (a locked one throws its 403 here, before any note) and its input: id and file names, once. */
  prepareCreate(c: CollectionModel, body: Record<string, unknown>, req: RecordRequest): PreparedCreate {
    return { rule: this.rules.condition(c, 'createRule', req), input: newRecordInput(c, body, req) };
  }

  /** The note of a prepared create's uploads (none for an invalid input: it fails before storing anything). */
  create(c: CollectionModel, { input }: PreparedCreate): Promise<PreNote | null> {
    return Object.keys(input.errors).length === 0
      ? this.files.prenote(c.id, String(input.data.id), input.uploads.keys())
      : Promise.resolve(null);
  }

  /**
   * The note of an update of record `id` by `body`: the body's uploads and every file of the file fields it touches
   * (the record read only when it uploads). With `req`, a locked update rule throws its 403 first. A record that
   * isn't there gets none (the update answers 404), unless `orNew` (in a batch: an upsert, or an update of a record
   * an earlier item creates): then its uploads.
   */
  async update(
    c: CollectionModel,
    id: string,
    body: Record<string, unknown>,
    req: RecordRequest | null,
    orNew = false,
  ): Promise<PreNote | null> {
    if (req) {
      this.rules.condition(c, 'updateRule', req);
    }
    let names = updateFileNames(c, null, body);
    if (names.length > 0) {
      const row = await this.repository.findById(c, id, []);
      names = row ? updateFileNames(c, fromRow(c, row), body) : orNew ? names : [];
    }
    return this.files.prenote(c.id, id, names);
  }

  /** Ends notes no transaction will take (see `RecordFileWriter.release`). */
  release(notes: readonly PreNote[]): void {
    this.files.release(notes);
  }
}
