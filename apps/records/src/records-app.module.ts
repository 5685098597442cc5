import { DynamicModule, Module } from '@nestjs/common';
import { AppConfig, ConfigModule, HealthController, ProbesModule } from '@lib/core';
import { ApiDocsModule } from '@lib/apidocs';
import { AuthCoreModule } from '@lib/auth';
import { DatabaseModule, DatabaseReadinessCheck } from '@lib/database';
import { EventsModule, RedisReadinessCheck } from '@lib/events';
import { JobsModule } from '@lib/jobs';
import { OpsApiModule, OpsLogsInternalModule } from '@lib/ops';
import { RealtimeRuleCheckModule } from '@lib/realtime';
import { RecordsApiModule } from '@lib/records';
import { StorageCoreModule, StorageReadinessCheck, UploadSweepModule } from '@lib/storage';

/** The records service: collections, records CRUD (with uploads), batch and settings, on the shared data directory. */
@Module({})
export class RecordsAppModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: RecordsAppModule,
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
        StorageCoreModule,
        UploadSweepModule,
        RealtimeRuleCheckModule,
      ],
      controllers: [HealthController],
    };
  }
}
