import { Injectable, OnModuleInit } from '@nestjs/common';
import type { UploadedFile } from '@lib/core';
import { JobQueue } from '@lib/jobs';
import { RecordFileStore, StoreSync } from '@lib/records';
import { FileStorage } from './file-storage';
import { UploadJournal } from './journal/upload-journal';
import { fileKey, recordPrefix, thumbsPrefix } from './storage-key';

/** The job that removes files once their record change has committed (idempotent). */
export const DELETE_FILES_JOB = 'files.delete';

interface DeleteFilesJob {
  collectionId: string;
  recordId: string;
  /** The files to remove (with their thumbs); absent = the whole record folder. */
  names?: string[];
}

/** The records lib's file port on top of `FileStorage`: uploads go in with the write, deletions go through the queue. */
@Injectable()
export class StorageRecordFiles extends RecordFileStore implements OnModuleInit {
  constructor(
    private readonly storage: FileStorage,
    private readonly jobs: JobQueue,
    private readonly journal: UploadJournal,
    private readonly freshness: StoreSync,
  ) {
    super();
  }

  onModuleInit(): void {
    // With REDIS_URL any process may take the job, one that served no request since another changed the storage
    // settings (local ↔ S3) among them: its settings are brought up to date first, as a request's are.
    this.jobs.process<DeleteFilesJob>(DELETE_FILES_JOB, async (job) => {
      await this.freshness.ensureFresh();
      await this.deleteNow(job);
    });
  }

  override intend(collectionId: string, recordId: string, files: string[]): Promise<string> {
    return this.journal.note({ collectionId, recordId, files });
  }

  override settled(note: string): void {
    this.journal.settled(note);
  }

  override async save(collectionId: string, recordId: string, name: string, upload: UploadedFile): Promise<void> {
    await this.storage.putFile(fileKey(collectionId, recordId, name), upload.path, {
      contentType: upload.mimetype,
      size: upload.size,
    });
  }

  override async discard(collectionId: string, recordId: string, names: string[]): Promise<void> {
    await this.deleteNow({ collectionId, recordId, names });
  }

  override async remove(collectionId: string, recordId: string, names: string[]): Promise<void> {
    await this.jobs.add<DeleteFilesJob>(DELETE_FILES_JOB, { collectionId, recordId, names });
  }

  override async removeRecord(collectionId: string, recordId: string): Promise<void> {
    await this.jobs.add<DeleteFilesJob>(DELETE_FILES_JOB, { collectionId, recordId });
  }

  private async deleteNow({ collectionId, recordId, names }: DeleteFilesJob): Promise<void> {
    if (!names) {
      await this.storage.deletePrefix(recordPrefix(collectionId, recordId));
      return;
    }
    for (const name of names) {
      await this.storage.delete(fileKey(collectionId, recordId, name));
      await this.storage.deletePrefix(thumbsPrefix(collectionId, recordId, name));
    }
  }
}
