import { DynamicModule, Module } from '@nestjs/common';
import { AppConfig, ConfigModule, HealthController } from '@lib/core';

/** The realtime service: SSE and WebSocket delivery; added by the realtime issue. Boots with its health endpoint. */
@Module({})
export class RealtimeAppModule {
  static forRoot(config: AppConfig): DynamicModule {
    return { module: RealtimeAppModule, imports: [ConfigModule.forRoot(config)], controllers: [HealthController] };
  }
}
