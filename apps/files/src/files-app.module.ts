import { DynamicModule, Module } from '@nestjs/common';
import { AppConfig, ConfigModule, HealthController } from '@lib/core';

/** The files service: file serving; storage and thumbnails come with the files issue. Boots with its health endpoint. */
@Module({})
export class FilesAppModule {
  static forRoot(config: AppConfig): DynamicModule {
    return { module: FilesAppModule, imports: [ConfigModule.forRoot(config)], controllers: [HealthController] };
  }
}
