import { Injectable, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { OAuth2RedirectSink, OAuth2RedirectSinks, type OAuth2RedirectMessage } from '@lib/auth';
import { EventBus } from '@lib/events';
import { RealtimeClients } from './realtime-clients';

/**
 * Pushes an OAuth2 redirect to the waiting SDK client of this instance (reference §2.4 step 4): the client
 * `state` must be connected, subscribed to `@oauth2` and come from `ip`; it gets `{state, code, error?}` once.
 */
function deliverToClient(clients: RealtimeClients, message: OAuth2RedirectMessage, ip: string): boolean {
  const client = clients.get(message.state);
  if (!client || !client.subscriptions.has('@oauth2') || client.ip !== ip) {
    return false;
  }
  const data: Record<string, string> = { state: message.state, code: message.code };
  if (message.error) {
    data.error = message.error;
  }
  const sent = client.send('@oauth2', data);
  client.subscriptions.delete('@oauth2');
  return sent;
}

/** The sink of a process that mounts both auth and realtime (standalone): redirects reach clients directly. */
@Injectable()
export class RealtimeOAuth2Sink extends OAuth2RedirectSink implements OnModuleInit {
  constructor(
    private readonly clients: RealtimeClients,
    private readonly sinks: OAuth2RedirectSinks,
  ) {
    super();
  }

  onModuleInit(): void {
    this.sinks.use(this);
  }

  override deliver(message: OAuth2RedirectMessage, ip: string): Promise<boolean> {
    return Promise.resolve(deliverToClient(this.clients, message, ip));
  }
}

/**
 * Takes the `oauth2.redirect` events another process (the auth service) publishes for clients it doesn't
 * hold, and answers `oauth2.delivered` when one of this instance's clients got it.
 */
@Injectable()
export class RealtimeOAuth2Relay implements OnModuleInit, OnModuleDestroy {
  private unsubscribe?: () => void;

  constructor(
    private readonly clients: RealtimeClients,
    private readonly bus: EventBus,
  ) {}

  onModuleInit(): void {
    this.unsubscribe = this.bus.subscribe('oauth2.redirect', ({ requestId, ip, ...message }) => {
      if (deliverToClient(this.clients, message, ip)) {
        this.bus.publish('oauth2.delivered', { requestId });
      }
    });
  }

  onModuleDestroy(): void {
    this.unsubscribe?.();
  }
}
