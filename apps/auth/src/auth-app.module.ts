import { DynamicModule, Module } from '@nestjs/common';
import { AppConfig, ConfigModule, HealthController, ProbesModule } from '@lib/core';
import { AuthApiModule, AuthCoreModule } from '@lib/auth';
import { DatabaseModule, DatabaseReadinessCheck } from '@lib/database';
import { EventsModule, RedisReadinessCheck } from '@lib/events';
import { JobsModule } from '@lib/jobs';
import { OpsLogsModule } from '@lib/ops';
import { StorageCoreModule, StorageReadinessCheck, UploadSweepModule } from '@lib/storage';

/** The auth service: auth-collection endpoints; record writes here store and clean up files too. */
@Module({})
export class AuthAppModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: AuthAppModule,
      imports: [
        ConfigModule.forRoot(config),
        ProbesModule.forRoot([DatabaseReadinessCheck, RedisReadinessCheck, StorageReadinessCheck]),
        DatabaseModule,
        EventsModule,
        JobsModule,
        OpsLogsModule,
        AuthCoreModule,
        AuthApiModule,
        StorageCoreModule,
        UploadSweepModule,
      ],
      controllers: [HealthController],
    };
  }
}
