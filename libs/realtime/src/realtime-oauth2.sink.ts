import { Injectable, OnModuleInit } from '@nestjs/common';
import { OAuth2RedirectSink, OAuth2RedirectSinks, type OAuth2RedirectMessage } from '@lib/auth';
import { RealtimeClients } from './realtime-clients';

/** Hands an OAuth2 redirect to the waiting SDK client (reference §2.4 step 4); clients of this instance only. */
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
    const client = this.clients.get(message.state);
    if (!client || !client.subscriptions.has('@oauth2') || client.ip !== ip) {
      return Promise.resolve(false);
    }
    const data: Record<string, string> = { state: message.state, code: message.code };
    if (message.error) {
      data.error = message.error;
    }
    const sent = client.send('@oauth2', data);
    client.subscriptions.delete('@oauth2');
    return Promise.resolve(sent);
  }
}
