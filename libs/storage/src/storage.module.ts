import { Global, Module } from '@nestjs/common';
import { RecordFileStore, RecordsCoreModule } from '@lib/records';
import { ConfiguredFileStorage } from './configured-file-storage';
import { FileAccessService } from './file-access.service';
import { FileLocator } from './file-locator';
import { FileStorage } from './file-storage';
import { FilesService } from './files.service';
import { FileTokenController } from './http/file-token.controller';
import { FilesController } from './http/files.controller';
import { StorageTestController } from './http/storage-test.controller';
import { UploadJournal } from './journal/upload-journal';
import { UploadJournalController } from './journal/upload-journal.controller';
import { UploadJournalSweep } from './journal/upload-journal-sweep';
import { StorageCheckService } from './storage-check.service';
import { StorageRecordFiles } from './storage-record-files';
import { ThumbsService } from './thumbs/thumbs.service';

/**
 * File storage (local or S3, from settings/environment) and the records lib's file port. Mounted by
 * every app that writes records, so uploads and clean-up jobs work wherever a record is saved.
 */
@Global()
@Module({
  imports: [RecordsCoreModule],
  providers: [
    ConfiguredFileStorage,
    { provide: FileStorage, useExisting: ConfiguredFileStorage },
    StorageRecordFiles,
    { provide: RecordFileStore, useExisting: StorageRecordFiles },
    UploadJournal,
  ],
  exports: [FileStorage, RecordFileStore, UploadJournal],
})
export class StorageCoreModule {}

/** The files API: serving, thumbnails, file tokens, and the S3 connection test. */
@Module({
  imports: [RecordsCoreModule, StorageCoreModule],
  providers: [FilesService, FileLocator, FileAccessService, ThumbsService, StorageCheckService],
  controllers: [FilesController, FileTokenController, StorageTestController],
})
export class FilesApiModule {}

/**
 * The upload journal's sweep (at start, every `NB_UPLOAD_SWEEP_INTERVAL_MS`, and `POST
 * /api/_internal/upload-journal/sweep`): mounted by every server with file storage, not by the CLI's commands.
 */
@Module({
  imports: [RecordsCoreModule, StorageCoreModule],
  providers: [UploadJournalSweep],
  controllers: [UploadJournalController],
})
export class UploadSweepModule {}
