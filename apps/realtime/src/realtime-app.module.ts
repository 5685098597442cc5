import { DynamicModule, Module } from '@nestjs/common';
import { AppConfig, ConfigModule, HealthController, ProbesModule } from '@lib/core';
import { AuthCoreModule } from '@lib/auth';
import { DatabaseModule, DatabaseReadinessCheck } from '@lib/database';
import { EventsModule, RedisReadinessCheck } from '@lib/events';
import { JobsModule } from '@lib/jobs';
import { OpsLogsModule, OpsRemoteLogsModule } from '@lib/ops';
import { RealtimeModule, RealtimeRemoteModule, RecordsServiceReadinessCheck } from '@lib/realtime';

/**
 * The realtime service: SSE and WebSocket delivery with per-client rule checks, fed by the event bus (Redis
 * when `REDIS_URL` is set). With `--records <url>` (`NB_RECORDS_URL`) it runs without a database, asking that
 * records service for collections, auth records and joined rules, and hands it its request logs; otherwise it
 * reads the shared data directory and writes its logs into `auxiliary.db` there, as the other services do.
 */
@Module({})
export class RealtimeAppModule {
  static forRoot(config: AppConfig): DynamicModule {
    const imports = config.records.url
      ? [
          ConfigModule.forRoot(config),
          ProbesModule.forRoot([RedisReadinessCheck, RecordsServiceReadinessCheck]),
          EventsModule,
          OpsRemoteLogsModule,
          RealtimeRemoteModule,
        ]
      : [
          ConfigModule.forRoot(config),
          ProbesModule.forRoot([DatabaseReadinessCheck, RedisReadinessCheck]),
          DatabaseModule,
          EventsModule,
          JobsModule,
          AuthCoreModule,
          OpsLogsModule,
          RealtimeModule,
        ];
    return { module: RealtimeAppModule, imports, controllers: [HealthController] };
  }
}
