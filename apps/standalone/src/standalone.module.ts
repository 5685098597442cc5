import { DynamicModule, Module } from '@nestjs/common';
import { AppConfig, ConfigModule, HealthController } from '@lib/core';
import { AuthApiModule, AuthCoreModule } from '@lib/auth';
import { DatabaseModule } from '@lib/database';
import { EventsModule } from '@lib/events';
import { JobsModule } from '@lib/jobs';
import { RealtimeModule, RealtimeRuleCheckModule } from '@lib/realtime';
import { RecordsApiModule } from '@lib/records';
import { FilesApiModule, StorageCoreModule } from '@lib/storage';

/** Every capability in one process on the in-process bus: the default `nestbase serve`. */
@Module({})
export class StandaloneModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: StandaloneModule,
      imports: [
        ConfigModule.forRoot(config),
        DatabaseModule,
        EventsModule,
        JobsModule,
        AuthCoreModule,
        RecordsApiModule,
        AuthApiModule,
        StorageCoreModule,
        FilesApiModule,
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
