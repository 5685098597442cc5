import { hasUpload } from '../records/file-input';
import type { PreNote } from '../records/record-files';
import type { RecordRequest } from '../records/record-request';
import type { RecordsService } from '../records/records.service';
import type { PreparedCreate } from '../records/write-notes';
import { batchCall, type BatchItem } from './batch-call';

export interface BatchNotes {
  /** The notes written, for the transaction's `save`s to take (those none took are ended with it). */
  notes: PreNote[];
  /** The creates worked out for their notes, by item index: `createIn` takes them (the same id and file names). */
  creates: Map<number, PreparedCreate>;
}

/**
 * The upload journal's notes of a batch's items that carry files, all written before its transaction (as a single
 * write's: on S3 a note is a PUT of its own, and a slow storage must not hold the write lock). A create's (or an
 * upsert's without an id) record id and file names are worked out here once; an update's (or an upsert's with an id)
 * files are those of the record as it is now. An item without files is left to the transaction as before.
 *
 * Anything that fails here (an item the transaction will refuse, a locked rule, the storage) leaves the batch without
 * notes: the transaction then answers exactly as it did before this step, an item with files noting inside it.
 */
export async function writeBatchNotes(
  records: RecordsService,
  items: BatchItem[],
  outer: RecordRequest,
): Promise<BatchNotes> {
  const none: BatchNotes = { notes: [], creates: new Map() };
  const creates = new Map<number, PreparedCreate>();
  const writes: (() => Promise<PreNote | null>)[] = [];
  try {
    for (const [i, item] of items.entries()) {
      const call = batchCall(item, outer);
      if (call.action === 'delete' || !hasUpload(call.data)) {
        continue;
      }
      const c = records.collection(call.collection);
      if (c.type === 'view') {
        continue;
      }
      const id = call.id;
      if (id !== undefined) {
        const req = call.action === 'update' ? call.req : null; // an upsert may create: no update rule first
        writes.push(() => records.notes.update(c, id, call.data, req, true));
        continue;
      }
      const prepared = records.notes.prepareCreate(c, call.data, { ...call.req, method: 'POST' });
      if (prepared.input.uploads.size > 0) {
        creates.set(i, prepared);
        writes.push(() => records.notes.create(c, prepared));
      }
    }
  } catch {
    return none;
  }
  const written = await Promise.allSettled(writes.map((write) => write()));
  const notes = written.flatMap((w) => (w.status === 'fulfilled' && w.value ? [w.value] : []));
  if (written.some((w) => w.status === 'rejected')) {
    records.notes.release(notes);
    return none;
  }
  return { notes, creates };
}
