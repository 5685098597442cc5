import { DynamicModule, Module } from '@nestjs/common';
import { AppConfig, ConfigModule, HealthController, ProbesModule } from '@lib/core';
import { AuthCoreModule } from '@lib/auth';
import { DatabaseModule, DatabaseReadinessCheck } from '@lib/database';
import { EventsModule, RedisReadinessCheck } from '@lib/events';
import { JobsModule } from '@lib/jobs';
import { OpsLogsModule } from '@lib/ops';
import { FilesApiModule, StorageCoreModule, StorageReadinessCheck, UploadSweepModule } from '@lib/storage';

/** The files service: file serving, thumbnails, file tokens and the S3 test, on the shared data directory. */
@Module({})
export class FilesAppModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: FilesAppModule,
      imports: [
        ConfigModule.forRoot(config),
        ProbesModule.forRoot([DatabaseReadinessCheck, RedisReadinessCheck, StorageReadinessCheck]),
        DatabaseModule,
        EventsModule,
        JobsModule,
        OpsLogsModule,
        AuthCoreModule,
        StorageCoreModule,
        FilesApiModule,
        UploadSweepModule,
      ],
      controllers: [HealthController],
    };
  }
}
