import { DynamicModule, Module } from '@nestjs/common';
import { AppConfig, ConfigModule, HealthController } from '@lib/core';
import { AuthCoreModule } from '@lib/auth';
import { DatabaseModule } from '@lib/database';
import { EventsModule } from '@lib/events';
import { JobsModule } from '@lib/jobs';
import { RealtimeModule } from '@lib/realtime';

/**
 * The realtime service: SSE and WebSocket delivery with per-client rule checks, fed by the event bus (Redis
 * when `REDIS_URL` is set). It reads collections, auth records and joined rules from the shared data directory.
 */
@Module({})
export class RealtimeAppModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: RealtimeAppModule,
      imports: [ConfigModule.forRoot(config), DatabaseModule, EventsModule, JobsModule, AuthCoreModule, RealtimeModule],
      controllers: [HealthController],
    };
  }
}
