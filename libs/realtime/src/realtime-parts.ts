import { RealtimeAccess } from './realtime-access.service';
import { RealtimeClients } from './realtime-clients';
import { RealtimeConnections } from './realtime-connections.service';
import { RealtimeController } from './realtime.controller';
import { RealtimeDelivery } from './realtime-delivery.service';
import { RealtimeGateway } from './realtime.gateway';
import { RealtimeHooks } from './realtime-hooks';
import { RealtimeMessages } from './realtime-messages.service';
import { RealtimeSubscriptions } from './realtime-subscriptions.service';
import { RealtimeOAuth2Relay } from './realtime-oauth2.sink';

/** What every realtime module shares; the local and remote modules add the ports' adapters. */
export const REALTIME_PROVIDERS = [
  RealtimeClients,
  RealtimeAccess,
  RealtimeMessages,
  RealtimeDelivery,
  RealtimeSubscriptions,
  RealtimeConnections,
  RealtimeHooks,
  RealtimeGateway,
  RealtimeOAuth2Relay,
];

export const REALTIME_CONTROLLERS = [RealtimeController];

export const REALTIME_EXPORTS = [RealtimeClients, RealtimeDelivery, RealtimeAccess, RealtimeConnections];
