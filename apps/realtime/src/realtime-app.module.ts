import { DynamicModule, Module } from '@nestjs/common';
import { AppConfig, ConfigModule, HealthController, ProbesModule } from '@lib/core';
import { AuthCoreModule } from '@lib/auth';
import { DatabaseModule, DatabaseReadinessCheck } from '@lib/database';
import { EventsModule, RedisReadinessCheck } from '@lib/events';
import { JobsModule } from '@lib/jobs';
import { RealtimeModule, RealtimeRemoteModule, RecordsServiceReadinessCheck } from '@lib/realtime';

/**
 * The realtime service: SSE and WebSocket delivery with per-client rule checks, fed by the event bus (Redis
 * when `REDIS_URL` is set). With `--records <url>` (`NB_RECORDS_URL`) it runs without a database, asking that
 * records service for collections, auth records and joined rules; otherwise it reads the shared data directory.
 */
@Module({})
export class RealtimeAppModule {
  static forRoot(config: AppConfig): DynamicModule {
    const imports = config.records.url
      ? [
          ConfigModule.forRoot(config),
          ProbesModule.forRoot([RedisReadinessCheck, RecordsServiceReadinessCheck]),
          EventsModule,
          RealtimeRemoteModule,
        ]
      : [
          ConfigModule.forRoot(config),
          ProbesModule.forRoot([DatabaseReadinessCheck, RedisReadinessCheck]),
          DatabaseModule,
          EventsModule,
          JobsModule,
          AuthCoreModule,
          RealtimeModule,
        ];
    return { module: RealtimeAppModule, imports, controllers: [HealthController] };
  }
}
