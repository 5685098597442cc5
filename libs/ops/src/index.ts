export {
  OpsApiModule,
  OpsBackupsModule,
  OpsLogsInternalModule,
  OpsLogsModule,
  OpsRemoteLogsModule,
} from './ops.module';
export { BackupsService } from './backups/backups.service';
export type { BackupInfo } from './backups/backups.service';
export { LogWriter } from './logs/log-writer';
export type { LogPolicy } from './logs/log-policy';
export { LogRepository } from './logs/log.repository';
export { LOG_LEVEL } from './logs/log-entry';
export type { LogEntry, LogStat } from './logs/log-entry';
export { PocketBaseImportModule } from './pocketbase/pocketbase-import.module';
export { PocketBaseSchemaImport, PocketBaseSchemaError } from './pocketbase/pocketbase-schema-import';
export { PocketBaseSource, PocketBaseSourceError } from './pocketbase/pocketbase-source';
export { copyRecords, type CopiedCollection, type ImportProgress } from './pocketbase/pb-record-copy';
export { copyMetadata } from './pocketbase/pb-metadata-copy';
export { copyStorage, type CopiedFiles } from './pocketbase/pb-file-copy';
export { checkTarget, makeStaging, placeStaging, ImportTargetError } from './pocketbase/import-target';
export { copyDatabase, DbCopyError } from './dbcopy/db-copy';
export type { CopyReport, CopiedTable, CopyProgress } from './dbcopy/db-copy';
