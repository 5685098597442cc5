import { randomBytes } from 'node:crypto';
import { Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { Clock, isPlainObject } from '@lib/core';
import { FileStorage } from '../file-storage';
import { isSafeSegment, fileKey, thumbsPrefix } from '../storage-key';

/** The folder of the notes, in the file storage itself (beside the files they name). */
export const JOURNAL_PREFIX = '.upload-journal/';
const NOTE_KEY = /^\.upload-journal\/(\d{13})-[0-9a-f]{12}\.json$/;
/** A note is a few hundred bytes; anything much larger is not one of ours. */
const MAX_NOTE_BYTES = 64 * 1024;

/** What a write is about to store or replace: the files of one record. */
export interface JournalEntry {
  collectionId: string;
  recordId: string;
  files: string[];
}

/** A note found by `due`: its key, when it was written, and the backend holding it. */
export interface DueNote {
  key: string;
  writtenAt: number;
  backend: FileStorage;
}

/**
 * The upload journal: before a record write stores or replaces files, a note naming them
 * (`.upload-journal/<ms>-<random>.json`) is written to the storage; once the write's commit or rollback has been
 * cleaned up the note is deleted, in the background and batched. A note that outlives its write (the process was
 * killed) is settled by `UploadJournalSweep`.
 */
@Injectable()
export class UploadJournal implements OnModuleDestroy {
  private readonly logger = new Logger('UploadJournal');
  /** Notes written by this process and not yet deleted, with the backend each went to. */
  private readonly open = new Map<string, FileStorage>();
  private closing: string[] = [];
  private scheduled = false;
  private readonly flushes = new Set<Promise<void>>();

  constructor(
    private readonly storage: FileStorage,
    private readonly clock: Clock,
  ) {}

  /** Writes the note of a write about to touch `entry.files`; returns its key. */
  async note(entry: JournalEntry): Promise<string> {
    const backend = await this.storage.backend();
    const key = `${JOURNAL_PREFIX}${String(this.clock.now()).padStart(13, '0')}-${randomBytes(6).toString('hex')}.json`;
    await backend.putSmall(key, Buffer.from(JSON.stringify(entry)));
    this.open.set(key, backend);
    return key;
  }

  /** The write of note `key` is cleaned up: the note is deleted soon (with others settled meanwhile). */
  settled(key: string): void {
    this.closing.push(key);
    if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(() => this.track(this.flush()));
    }
  }

  /** Notes written at least `graceMs` ago (by any process), and how many younger ones were seen. */
  async due(graceMs: number): Promise<{ due: DueNote[]; fresh: number }> {
    const backend = await this.storage.backend();
    const cutoff = this.clock.now() - graceMs;
    const due: DueNote[] = [];
    let fresh = 0;
    for (const { key } of await backend.list(JOURNAL_PREFIX)) {
      const match = NOTE_KEY.exec(key);
      if (!match) {
        continue; // the `.keep` object, or nothing of ours
      }
      const writtenAt = Number(match[1]);
      if (writtenAt <= cutoff) {
        due.push({ key, writtenAt, backend });
      } else {
        fresh++;
      }
    }
    return { due, fresh };
  }

  /** The entry of a note, or null when it can't be one (cut short by a crash while it was written). */
  async read(note: DueNote): Promise<JournalEntry | null> {
    const file = await note.backend.get(note.key);
    if (!file) {
      return null;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of file.stream as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > MAX_NOTE_BYTES) {
        file.stream.destroy();
        return null;
      }
      chunks.push(chunk);
    }
    return parseEntry(Buffer.concat(chunks).toString('utf8'));
  }

  /** Deletes files of a note's record, with their thumbs. */
  async removeFiles(note: DueNote, entry: JournalEntry, names: string[]): Promise<void> {
    for (const name of names) {
      await note.backend.delete(fileKey(entry.collectionId, entry.recordId, name));
      await note.backend.deletePrefix(thumbsPrefix(entry.collectionId, entry.recordId, name));
    }
  }

  drop(note: DueNote): Promise<void> {
    return note.backend.delete(note.key);
  }

  async onModuleDestroy(): Promise<void> {
    await this.flush();
    await Promise.allSettled([...this.flushes]);
  }

  private async flush(): Promise<void> {
    this.scheduled = false;
    const keys = this.closing;
    this.closing = [];
    const byBackend = new Map<FileStorage, string[]>();
    for (const key of keys) {
      const backend = this.open.get(key);
      this.open.delete(key);
      if (backend) {
        byBackend.set(backend, [...(byBackend.get(backend) ?? []), key]);
      }
    }
    for (const [backend, batch] of byBackend) {
      try {
        await backend.deleteMany(batch);
      } catch (error) {
        this.logger.warn(`${batch.length} upload journal note(s) left for the sweep: ${String(error)}`);
      }
    }
  }

  private track(flush: Promise<void>): void {
    this.flushes.add(flush);
    void flush.finally(() => this.flushes.delete(flush));
  }
}

/** A note's JSON as `note` writes it, or null. */
export function parseEntry(text: string): JournalEntry | null {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return null;
  }
  if (!isPlainObject(value)) {
    return null;
  }
  const { collectionId, recordId, files } = value;
  const ok =
    typeof collectionId === 'string' &&
    isSafeSegment(collectionId) &&
    typeof recordId === 'string' &&
    isSafeSegment(recordId) &&
    Array.isArray(files) &&
    files.every((f) => typeof f === 'string' && isSafeSegment(f));
  return ok ? { collectionId, recordId, files: files as string[] } : null;
}
