import { DynamicModule, Module } from '@nestjs/common';
import { AppConfig, ConfigModule, HealthController } from '@lib/core';
import { AuthCoreModule } from '@lib/auth';
import { DatabaseModule } from '@lib/database';
import { EventsModule } from '@lib/events';
import { JobsModule } from '@lib/jobs';
import { FilesApiModule, StorageCoreModule } from '@lib/storage';

/** The files service: file serving, thumbnails, file tokens and the S3 test, on the shared data directory. */
@Module({})
export class FilesAppModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: FilesAppModule,
      imports: [
        ConfigModule.forRoot(config),
        DatabaseModule,
        EventsModule,
        JobsModule,
        AuthCoreModule,
        StorageCoreModule,
        FilesApiModule,
      ],
      controllers: [HealthController],
    };
  }
}
