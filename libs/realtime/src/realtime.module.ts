import { Module } from '@nestjs/common';
import { RecordsCoreModule } from '@lib/records';
import { LOCAL_REALTIME_PORTS } from './local/local-realtime-ports';
import { RealtimeOAuth2Sink } from './realtime-oauth2.sink';
import { REALTIME_CONTROLLERS, REALTIME_EXPORTS, REALTIME_PROVIDERS } from './realtime-parts';

/**
 * Realtime delivery (SSE `GET/POST /api/realtime`, WebSocket on the same path) on the shared database: clients
 * of this instance, their subscriptions and per-client rule checks of every committed record event on the bus.
 * Needs the auth lib's core module (the token guard and the OAuth2 redirect sinks).
 */
@Module({
  imports: [RecordsCoreModule],
  controllers: REALTIME_CONTROLLERS,
  providers: [...REALTIME_PROVIDERS, ...LOCAL_REALTIME_PORTS, RealtimeOAuth2Sink],
  exports: [...REALTIME_EXPORTS, RealtimeOAuth2Sink],
})
export class RealtimeModule {}
