import { randomBytes } from 'node:crypto';
import { Inject, Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { AppConfig, Clock } from '@lib/core';
import { FileStorage } from '../file-storage';
import { fileKey, thumbsPrefix } from '../storage-key';
import { JOURNAL_PREFIX, parseEntry, type JournalEntry } from './journal-entry';
import { JournalLogs, LOG_KEY, LOG_DONE_AFTER_MS, openNotes, rotateAfter } from './journal-log';

export { JOURNAL_PREFIX, parseEntry, type JournalEntry } from './journal-entry';

const NOTE_KEY = /^\.upload-journal\/(\d{13})-[0-9a-f]{12}\.json$/;
/** A note is a few hundred bytes; anything much larger is not one of ours. */
const MAX_NOTE_BYTES = 64 * 1024;
/** A log holds at most 10,000 notes of a few hundred bytes. */
const MAX_LOG_BYTES = 16 * 1024 * 1024;

/** A note found by `due`: its key (a log's note: `<log key>#<n>`), when it was written, the backend holding it. */
export interface DueNote {
  key: string;
  writtenAt: number;
  backend: FileStorage;
  /** A log's note: its log, and its entry as read (null: cut short). */
  log?: { key: string; n: number; entry: JournalEntry | null };
}

/**
 * The upload journal: before a record write stores or replaces files, a note naming them is written to the
 * storage; once the write's commit or rollback has been cleaned up the note is ended, in the background and
 * batched. On local storage a note is a line of this process's log (see JournalLogs: one append, no file per
 * write); where files can't be appended to (S3) it is a file of its own (`.upload-journal/<ms>-<random>.json`),
 * deleted at its end. A note that outlives its write (the process was killed) is settled by `UploadJournalSweep`.
 */
@Injectable()
export class UploadJournal implements OnModuleDestroy {
  private readonly logger = new Logger('UploadJournal');
  /** Notes written by this process and not yet deleted, with the backend each went to. */
  private readonly open = new Map<string, FileStorage>();
  private closing: string[] = [];
  private scheduled = false;
  private readonly flushes = new Set<Promise<void>>();
  private readonly logs: JournalLogs;

  constructor(
    private readonly storage: FileStorage,
    private readonly clock: Clock,
    @Inject(AppConfig) config: AppConfig,
  ) {
    this.logs = new JournalLogs(() => this.clock.now(), rotateAfter(config.uploads.journalGraceMs));
  }

  /** Writes the note of a write about to touch `entry.files`; returns its handle. */
  async note(entry: JournalEntry): Promise<string> {
    const backend = await this.storage.backend();
    const logged = this.logs.note(backend, entry);
    if (logged !== null) {
      return logged;
    }
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
      if (LOG_KEY.test(key)) {
        fresh += await this.dueInLog(backend, key, cutoff, due);
        continue;
      }
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
    if (note.log) {
      return note.log.entry;
    }
    const text = await readSmall(note.backend, note.key, MAX_NOTE_BYTES);
    return text === null ? null : parseEntry(text);
  }

  /** Deletes files of a note's record, with their thumbs. */
  async removeFiles(note: DueNote, entry: JournalEntry, names: string[]): Promise<void> {
    for (const name of names) {
      await note.backend.delete(fileKey(entry.collectionId, entry.recordId, name));
      await note.backend.deletePrefix(thumbsPrefix(entry.collectionId, entry.recordId, name));
    }
  }

  /** Ends a settled note: a note file is deleted, a log's note gets its end line. */
  async drop(note: DueNote): Promise<void> {
    if (note.log) {
      await note.backend.appendExisting(note.log.key, `\n-${note.log.n}\n`);
      return;
    }
    await note.backend.delete(note.key);
  }

  async onModuleDestroy(): Promise<void> {
    await this.flush();
    await Promise.allSettled([...this.flushes]);
    await this.logs.close();
  }

  /**
   * Adds the notes of log `key` older than `cutoff` that never ended to `due`; answers how many younger ones it
   * has. A log whose notes all ended is deleted once surely past taking notes, whatever grace its process had (not
   * this process's own: it deletes those itself).
   */
  private async dueInLog(backend: FileStorage, key: string, cutoff: number, due: DueNote[]): Promise<number> {
    const text = await readSmall(backend, key, MAX_LOG_BYTES);
    if (text === null) {
      return 0; // gone meanwhile, or not one of ours
    }
    const open = openNotes(text);
    if (open.length === 0) {
      const born = Number(LOG_KEY.exec(key)?.[1]);
      if (!this.logs.owns(key) && born + LOG_DONE_AFTER_MS <= this.clock.now()) {
        await backend.delete(key);
      }
      return 0;
    }
    let fresh = 0;
    for (const note of open) {
      if (note.at <= cutoff) {
        due.push({ key: `${key}#${note.n}`, writtenAt: note.at, backend, log: { key, n: note.n, entry: note.entry } });
      } else {
        fresh++;
      }
    }
    return fresh;
  }

  private async flush(): Promise<void> {
    this.scheduled = false;
    const handles = this.closing;
    this.closing = [];
    this.logs.ended(handles.filter((h) => JournalLogs.isLogNote(h)));
    const keys = handles.filter((h) => !JournalLogs.isLogNote(h));
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

/** A small file's text, or null when it is missing or larger than `max` bytes. */
async function readSmall(backend: FileStorage, key: string, max: number): Promise<string | null> {
  const file = await backend.get(key);
  if (!file) {
    return null;
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of file.stream as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > max) {
      file.stream.destroy();
      return null;
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}
