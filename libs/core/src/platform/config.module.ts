import { DynamicModule, Global, Module } from '@nestjs/common';
import { Clock, SystemClock } from '../clock';
import { AppConfig } from '../config/app-config';
import { BodyLimits } from './body-limits';
import { OffsetFileClock } from './offset-file-clock';

/** Provides the validated `AppConfig`, the request body limits and the `Clock` to every module. */
@Global()
@Module({})
export class ConfigModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: ConfigModule,
      providers: [
        { provide: AppConfig, useValue: config },
        BodyLimits,
        {
          provide: Clock,
          useValue: config.testClockFile ? new OffsetFileClock(config.testClockFile) : new SystemClock(),
        },
      ],
      exports: [AppConfig, BodyLimits, Clock],
    };
  }
}
