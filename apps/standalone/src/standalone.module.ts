import { DynamicModule, Module } from '@nestjs/common';
import { AppConfig, ConfigModule, HealthController, ProbesModule } from '@lib/core';
import { ApiDocsModule } from '@lib/apidocs';
import { AuthApiModule, AuthCoreModule } from '@lib/auth';
import { DatabaseModule, DatabaseReadinessCheck } from '@lib/database';
import { EventsModule, RedisReadinessCheck } from '@lib/events';
import { JobsModule } from '@lib/jobs';
import { OpsApiModule, OpsLogsInternalModule } from '@lib/ops';
import { RealtimeModule, RealtimeRuleCheckModule } from '@lib/realtime';
import { RecordsApiModule } from '@lib/records';
import { FilesApiModule, StorageCoreModule, StorageReadinessCheck, UploadSweepModule } from '@lib/storage';

/** Every capability in one process on the in-process bus: the default `nestbase serve`. */
@Module({})
export class StandaloneModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: StandaloneModule,
      imports: [
        ConfigModule.forRoot(config),
        ProbesModule.forRoot([DatabaseReadinessCheck, RedisReadinessCheck, StorageReadinessCheck]),
        DatabaseModule,
        EventsModule,
        JobsModule,
        AuthCoreModule,
        RecordsApiModule,
        OpsApiModule,
        OpsLogsInternalModule,
        ApiDocsModule,
        AuthApiModule,
        StorageCoreModule,
        FilesApiModule,
        UploadSweepModule,
        RealtimeModule,
        RealtimeRuleCheckModule,
      ],
      controllers: [HealthController],
    };
  }
}

/** What the CLI's superuser commands need: data, auth and file storage services, no HTTP API. */
@Module({})
export class CliModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: CliModule,
      imports: [
        ConfigModule.forRoot(config),
        DatabaseModule,
        EventsModule,
        JobsModule,
        AuthCoreModule,
        StorageCoreModule,
      ],
    };
  }
}
