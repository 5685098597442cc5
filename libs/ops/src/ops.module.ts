import { Global, Inject, Module, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { AppConfig, AppLogSink, BackupActivity, BodyLimits, RecordsServiceClient } from '@lib/core';
import { Database } from '@lib/database';
import { RecordsCoreModule } from '@lib/records';
import { AutoBackup } from './backups/auto-backup';
import { BackupAccess } from './backups/backup-access';
import { BackupMaker } from './backups/backup-maker';
import { BackupRestorer } from './backups/backup-restorer';
import { BackupStore } from './backups/backup-store';
import { RestoreFollower } from './backups/restore-notice';
import { BackupsController } from './backups/backups.controller';
import { BackupsService } from './backups/backups.service';
import { AuthStateCleanup } from './crons/auth-state-cleanup';
import { CronsController } from './crons/crons.controller';
import { SystemCrons } from './crons/system-crons';
import { AppLogTee } from './logs/app-log-tee';
import { LogRepository } from './logs/log.repository';
import { LogWriter } from './logs/log-writer';
import { LogPolicySource, SettingsLogPolicySource } from './logs/log-policy';
import { LogsInternalController } from './logs/remote/logs-internal.controller';
import { RemoteLogPolicySource, RemoteLogRepository } from './logs/remote/remote-logs';
import { LogsController } from './logs/logs.controller';
import { LogsService } from './logs/logs.service';
import { RequestLogger } from './logs/request-logger';
import { PostgresLogRepository } from './logs/postgres/postgres-log.repository';
import { SqliteLogRepository } from './logs/sqlite/sqlite-log.repository';

/**
 * Request and app logs into `<dataDir>/auxiliary.db` on SQLite, or the `_logs` table of the PostgreSQL database:
 * mounted by every service that has the database, so each one's requests reach the one store the set shares.
 */
@Global()
@Module({
  imports: [RecordsCoreModule],
  providers: [
    {
      provide: LogRepository,
      inject: [AppConfig, Database],
      // SQLite: at least 5 s whatever DB_BUSY_TIMEOUT_MS says: log writes are off the request path, and services
      // starting together on one volume create the file and its table at once.
      useFactory: (config: AppConfig, database: Database) =>
        database.engine === 'postgres'
          ? new PostgresLogRepository(database)
          : new SqliteLogRepository(config.dataDir, Math.max(5000, config.db.busyTimeoutMs)),
    },
    { provide: LogPolicySource, useClass: SettingsLogPolicySource },
    LogWriter,
    RequestLogger,
    RestoreFollower,
  ],
  exports: [LogRepository, LogWriter, LogPolicySource],
})
export class OpsLogsModule implements OnModuleInit, OnApplicationShutdown {
  constructor(
    @Inject(AppConfig) private readonly config: AppConfig,
    private readonly writer: LogWriter,
    private readonly logs: LogRepository,
  ) {}

  onModuleInit(): void {
    routeAppLogs(this.writer, this.config.logLevel);
  }

  async onApplicationShutdown(): Promise<void> {
    routeAppLogs(null, this.config.logLevel);
    await this.writer.flush();
    await this.logs.close();
  }
}

/** The process's warnings and errors, and what hooks log, into `writer` (null: back to the console only). */
function routeAppLogs(writer: LogWriter | null, logLevel: string): void {
  const sink = writer
    ? (level: number, message: string, data: Record<string, unknown>) => writer.write(level, message, data)
    : null;
  AppLogTee.attach(sink, logLevel);
  AppLogSink.attach(sink);
}

/**
 * Request and app logs of a process without a database (the realtime service with `--records`): written in
 * batches to the records service (`POST /api/_internal/logs`), which stores them with its own.
 */
@Global()
@Module({
  providers: [
    RecordsServiceClient,
    { provide: LogRepository, useClass: RemoteLogRepository },
    { provide: LogPolicySource, useClass: RemoteLogPolicySource },
    LogWriter,
    RequestLogger,
  ],
  exports: [LogWriter],
})
export class OpsRemoteLogsModule implements OnModuleInit, OnApplicationShutdown {
  constructor(
    @Inject(AppConfig) private readonly config: AppConfig,
    private readonly writer: LogWriter,
  ) {}

  onModuleInit(): void {
    routeAppLogs(this.writer, this.config.logLevel);
  }

  async onApplicationShutdown(): Promise<void> {
    routeAppLogs(null, this.config.logLevel);
    await this.writer.flush();
  }
}

/** Backups without HTTP (the CLI): make, list, restore offline. */
@Module({
  imports: [RecordsCoreModule, OpsLogsModule],
  providers: [
    BackupStore,
    BackupMaker,
    BackupRestorer,
    BackupsService,
    { provide: BackupActivity, useExisting: BackupsService },
  ],
  exports: [BackupsService, BackupStore, BackupActivity],
})
export class OpsBackupsModule {}

/** No body limit on backup uploads (PocketBase has none): they are streamed to a temporary file. */
const UPLOAD_EXTRA = 2 ** 42;

/** The operations API of the records service: logs, crons (and the system jobs), backups. */
@Module({
  imports: [RecordsCoreModule, OpsLogsModule, OpsBackupsModule],
  providers: [LogsService, AuthStateCleanup, SystemCrons, BackupAccess, AutoBackup],
  controllers: [LogsController, CronsController, BackupsController],
})
export class OpsApiModule implements OnModuleInit {
  constructor(private readonly limits: BodyLimits) {}

  onModuleInit(): void {
    this.limits.register((request) =>
      request.method === 'POST' && request.routeOptions?.url === '/api/backups/upload' ? UPLOAD_EXTRA : 0,
    );
  }
}

/**
 * Mounted by the records service: `/api/_internal/logs` and `/api/_internal/log-policy` for processes without a
 * database (`OpsRemoteLogsModule`), behind `NB_INTERNAL_SECRET`.
 */
@Module({
  imports: [OpsLogsModule],
  controllers: [LogsInternalController],
})
export class OpsLogsInternalModule {}
