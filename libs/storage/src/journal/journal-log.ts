import { randomBytes } from 'node:crypto';
import { Logger } from '@nestjs/common';
import type { AppendLog, FileStorage } from '../file-storage';
import { JOURNAL_PREFIX, parseEntry, type JournalEntry } from './journal-entry';

/** A process's log: `.upload-journal/<ms it was opened>-<random>.log`. */
export const LOG_KEY = /^\.upload-journal\/(\d{13})-[0-9a-f]{12}\.log$/;
/** A log takes at most this many notes before the next one is opened. */
const MAX_NOTES = 10_000;
/** This process's log goes this long after its last note ended with nothing new noted. */
const IDLE_MS = 1000;
/** A log takes new notes at most this long after it was opened (less with a short grace, see `rotateAfter`). */
const MAX_ROTATE_MS = 10 * 60_000;
/** Past this age a log takes no note whatever its process's settings: the sweep may delete it once all ended. */
export const LOG_DONE_AFTER_MS = 2 * MAX_ROTATE_MS;

/** How long a log takes new notes with a grace of `graceMs`: a quarter of it, 1 s to 10 min. */
export function rotateAfter(graceMs: number): number {
  return Math.max(1000, Math.min(MAX_ROTATE_MS, Math.floor(graceMs / 4)));
}

interface OwnLog {
  key: string;
  file: AppendLog;
  backend: FileStorage;
  /** When it was opened (the journal's clock, as in its name). */
  born: number;
  /** Notes not ended yet. */
  open: Set<number>;
  notes: number;
}

/**
 * This process's side of the journal's logs. On a backend that keeps append-only files (local storage), a write's
 * note is one line `+<n> <ms> <entry JSON>` appended to this process's log and its end one line `-<n> …` (the ends
 * of a batch together): no file is created or deleted per write, and an append is one `write` on this thread.
 * A log takes new notes for `rotateMs` (well under the grace) or MAX_NOTES notes, then the next one is opened; it is
 * deleted once each of its notes ended and it takes no more (rotated, or idle for IDLE_MS). A process killed
 * meanwhile leaves its log: the sweep settles the notes in it that never ended (see `openNotes`), and deletes a log
 * whose notes all ended once it is surely past taking notes (LOG_DONE_AFTER_MS after it was opened).
 */
export class JournalLogs {
  private readonly logger = new Logger('UploadJournal');
  private current: OwnLog | null = null;
  private readonly logs = new Map<string, OwnLog>();
  private seq = 0;
  private lastNote = 0;
  private idle: NodeJS.Timeout | null = null;
  private readonly deletions = new Set<Promise<void>>();

  constructor(
    private readonly now: () => number,
    private readonly rotateMs: number,
  ) {}

  /** Notes `entry` in this process's log on `backend`: the note's handle, or null where `backend` keeps no logs. */
  note(backend: FileStorage, entry: JournalEntry): string | null {
    const now = this.now();
    let log = this.current;
    if (log && (log.backend !== backend || now - log.born >= this.rotateMs || log.notes >= MAX_NOTES)) {
      this.retire(log);
      log = null;
    }
    for (let tries = 0; tries < 3; tries++) {
      log ??= this.open(backend, now);
      if (!log) {
        return null;
      }
      const n = ++this.seq;
      let written: boolean;
      try {
        written = log.file.append(`+${n} ${now} ${JSON.stringify(entry)}\n`);
      } catch (error) {
        this.retire(log); // a short write may have left half a line: nothing more goes after it
        throw error;
      }
      if (written) {
        log.open.add(n);
        log.notes++;
        this.lastNote = performance.now();
        return `${log.key}#${n}`;
      }
      this.retire(log); // removed from outside: the note goes to a new log
      log = null;
    }
    throw new Error('upload journal: the log was removed as it was written');
  }

  /** Whether `handle` is a note of a log (else a note file's key). */
  static isLogNote(handle: string): boolean {
    return handle.includes('#');
  }

  /** Whether `key` is a log this process still holds (the sweep leaves deleting it to this process). */
  owns(key: string): boolean {
    return this.logs.has(key);
  }

  /** The writes of these notes ended: one line per log, and the logs that are done go. */
  ended(handles: string[]): void {
    const byLog = new Map<OwnLog, number[]>();
    for (const handle of handles) {
      const at = handle.lastIndexOf('#');
      const log = this.logs.get(handle.slice(0, at));
      if (log) {
        byLog.set(log, [...(byLog.get(log) ?? []), Number(handle.slice(at + 1))]);
      }
    }
    for (const [log, ns] of byLog) {
      try {
        log.file.append(`-${ns.join(' ')}\n`);
      } catch (error) {
        // Not fatal: a note whose end isn't written is settled by the sweep after the grace.
        this.logger.warn(`upload journal: the end of ${ns.length} note(s) not written: ${String(error)}`);
      }
      ns.forEach((n) => log.open.delete(n));
      if (log.open.size === 0) {
        if (log === this.current) {
          this.armIdle();
        } else {
          this.remove(log);
        }
      }
    }
  }

  /** Closes the logs; those whose notes all ended are deleted, the others left to the sweep. */
  async close(): Promise<void> {
    if (this.idle) {
      clearTimeout(this.idle);
      this.idle = null;
    }
    this.current = null;
    for (const log of [...this.logs.values()]) {
      if (log.open.size === 0) {
        this.remove(log);
      } else {
        log.file.close();
        this.logs.delete(log.key);
      }
    }
    await Promise.allSettled([...this.deletions]);
  }

  private open(backend: FileStorage, now: number): OwnLog | null {
    const key = `${JOURNAL_PREFIX}${String(now).padStart(13, '0')}-${randomBytes(6).toString('hex')}.log`;
    const file = backend.openAppendLog(key);
    if (!file) {
      return null;
    }
    const log: OwnLog = { key, file, backend, born: now, open: new Set(), notes: 0 };
    this.logs.set(key, log);
    this.current = log;
    return log;
  }

  /** Takes no more notes; deleted now if none is open, else once the last one ends. */
  private retire(log: OwnLog): void {
    if (this.current === log) {
      this.current = null;
    }
    if (log.open.size === 0) {
      this.remove(log);
    }
  }

  private remove(log: OwnLog): void {
    this.logs.delete(log.key);
    if (this.current === log) {
      this.current = null;
    }
    log.file.close();
    const deletion = log.backend
      .delete(log.key)
      .catch((error: unknown) => this.logger.warn(`upload journal log ${log.key} left for the sweep: ${String(error)}`))
      .finally(() => this.deletions.delete(deletion));
    this.deletions.add(deletion);
  }

  private armIdle(): void {
    if (!this.idle) {
      this.idle = setTimeout(() => this.checkIdle(), IDLE_MS).unref();
    }
  }

  private checkIdle(): void {
    this.idle = null;
    const log = this.current;
    if (!log || log.open.size > 0) {
      return; // the next end re-arms it
    }
    const quiet = performance.now() - this.lastNote;
    if (quiet >= IDLE_MS) {
      this.remove(log);
    } else {
      this.idle = setTimeout(() => this.checkIdle(), IDLE_MS - quiet).unref();
    }
  }
}

/** A note of a log that never ended: its number, when it was written, and its entry (null: cut short). */
export interface LogNote {
  n: number;
  at: number;
  entry: JournalEntry | null;
}

/** The notes of a log's text that have no end line (a line cut short by a crash counts as a note without entry). */
export function openNotes(text: string): LogNote[] {
  const notes = new Map<number, LogNote>();
  const ended = new Set<number>();
  for (const line of text.split('\n')) {
    if (line.startsWith('+')) {
      const match = /^\+(\d+) (\d+) (.*)$/.exec(line);
      if (match) {
        notes.set(Number(match[1]), { n: Number(match[1]), at: Number(match[2]), entry: parseEntry(match[3]) });
      }
    } else if (line.startsWith('-')) {
      line
        .slice(1)
        .split(' ')
        .forEach((n) => ended.add(Number(n)));
    }
  }
  return [...notes.values()].filter((note) => !ended.has(note.n));
}
