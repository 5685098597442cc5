import { DynamicModule, Global, Module } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { BodyLimits } from './body-limits';

/** Provides the validated `AppConfig` (and the request body limits) to every module. */
@Global()
@Module({})
export class ConfigModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: ConfigModule,
      providers: [{ provide: AppConfig, useValue: config }, BodyLimits],
      exports: [AppConfig, BodyLimits],
    };
  }
}
