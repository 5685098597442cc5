import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { AppConfig } from '@lib/core';
import { CollectionsRegistry, fileNames, fromRow, RecordRepository, StoreSync } from '@lib/records';
import { UploadJournal, type DueNote } from './upload-journal';

/** What one sweep did. */
export interface SweepReport {
  /** Notes old enough to settle. */
  due: number;
  /** Notes settled (their unreferenced files removed, the note deleted). */
  settled: number;
  /** Notes younger than the grace, left alone. */
  fresh: number;
  /** Notes left for the next sweep (unknown collection, an error). */
  left: number;
  /** Noted files deleted (with their thumbs) because the row doesn't reference them; a killed write may not have stored each. */
  filesRemoved: number;
}

/**
 * Settles the notes of writes that never cleaned up (their process was killed between storing files and the end
 * of the transaction): for a note older than the grace, the files it names that the record's current row doesn't
 * reference are deleted with their thumbs, then the note. A note of an unknown collection, or any error, is left
 * for the next sweep. Runs at start and every `NB_UPLOAD_SWEEP_INTERVAL_MS`, and on the internal trigger.
 */
@Injectable()
export class UploadJournalSweep implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('UploadJournal');
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly journal: UploadJournal,
    private readonly registry: CollectionsRegistry,
    private readonly records: RecordRepository,
    private readonly sync: StoreSync,
    @Inject(AppConfig) private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    const every = this.config.uploads.sweepIntervalMs;
    if (every > 0) {
      this.timer = setInterval(() => void this.sweepLogged(), every).unref();
      void this.sweepLogged();
    }
  }

  async onModuleDestroy(): Promise<void> {
    if (this.timer) {
      clearInterval(this.timer);
    }
    await this.running.catch(() => undefined);
  }

  /** One sweep (after the one under way in this process, if any) with `graceMs` (default: the configured one). */
  sweep(graceMs = this.config.uploads.journalGraceMs): Promise<SweepReport> {
    const next = this.running.catch(() => undefined).then(() => this.sweepNow(graceMs));
    this.running = next;
    return next;
  }

  private async sweepLogged(): Promise<void> {
    try {
      const report = await this.sweep();
      if (report.filesRemoved > 0 || report.left > 0) {
        this.logger.log(`upload journal sweep: ${JSON.stringify(report)}`);
      }
    } catch (error) {
      this.logger.warn(
        `upload journal sweep failed (next one in ${this.config.uploads.sweepIntervalMs} ms): ${String(error)}`,
      );
    }
  }

  private async sweepNow(graceMs: number): Promise<SweepReport> {
    await this.sync.ensureFresh();
    const { due, fresh } = await this.journal.due(graceMs);
    const report: SweepReport = { due: due.length, settled: 0, fresh, left: 0, filesRemoved: 0 };
    for (const note of due) {
      try {
        const removed = await this.settle(note);
        if (removed === null) {
          report.left++;
        } else {
          report.settled++;
          report.filesRemoved += removed;
        }
      } catch (error) {
        report.left++;
        this.logger.warn(`upload journal note ${note.key} left for the next sweep: ${String(error)}`);
      }
    }
    return report;
  }

  /** Files removed for the note, or null when it is left. */
  private async settle(note: DueNote): Promise<number | null> {
    const entry = await this.journal.read(note);
    if (!entry) {
      // Unreadable: cut short while it was written, before any file of its write was stored.
      await this.journal.drop(note);
      return 0;
    }
    const c = this.registry.findCollection(entry.collectionId);
    if (!c) {
      return null;
    }
    const row = await this.records.findById(c, entry.recordId);
    const record = row ? fromRow(c, row) : null;
    const kept = new Set(
      record ? c.fields.filter((f) => f.type === 'file').flatMap((f) => fileNames(record[f.name])) : [],
    );
    const gone = entry.files.filter((name) => !kept.has(name));
    await this.journal.removeFiles(note, entry, gone);
    await this.journal.drop(note);
    return gone.length;
  }
}
