export { OpsApiModule, OpsBackupsModule, OpsLogsInternalModule, OpsLogsModule, OpsRemoteLogsModule } from './ops.module';
export { BackupsService } from './backups/backups.service';
export type { BackupInfo } from './backups/backups.service';
export { LogWriter } from './logs/log-writer';
export type { LogPolicy } from './logs/log-policy';
export { LogRepository } from './logs/log.repository';
export { LOG_LEVEL } from './logs/log-entry';
export type { LogEntry, LogStat } from './logs/log-entry';
