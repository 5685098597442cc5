import { Module } from '@nestjs/common';
import { RecordsCoreModule } from '@lib/records';
import { RealtimeAccess } from './realtime-access.service';
import { RealtimeClients } from './realtime-clients';
import { RealtimeCollections } from './realtime-collections';
import { RealtimeConnections } from './realtime-connections.service';
import { RealtimeController } from './realtime.controller';
import { RealtimeDelivery } from './realtime-delivery.service';
import { RealtimeGateway } from './realtime.gateway';
import { RealtimeMessages } from './realtime-messages.service';
import { RealtimeOAuth2Sink } from './realtime-oauth2.sink';
import { RealtimeSubscriptions } from './realtime-subscriptions.service';
import { RuleCheckRepository } from './rule-check.repository';
import { SqlRuleCheckRepository } from './typeorm/sql-rule-check.repository';

/**
 * Realtime delivery (SSE `GET/POST /api/realtime`, WebSocket on the same path): clients of this instance,
 * their subscriptions and per-client rule checks of every committed record event on the bus.
 */
@Module({
  imports: [RecordsCoreModule],
  controllers: [RealtimeController],
  providers: [
    RealtimeClients,
    RealtimeCollections,
    RealtimeAccess,
    RealtimeMessages,
    RealtimeDelivery,
    RealtimeSubscriptions,
    RealtimeConnections,
    RealtimeGateway,
    RealtimeOAuth2Sink,
    { provide: RuleCheckRepository, useClass: SqlRuleCheckRepository },
  ],
  exports: [RealtimeClients, RealtimeDelivery, RealtimeAccess, RealtimeConnections, RealtimeOAuth2Sink],
})
export class RealtimeModule {}
