import { Injectable } from '@nestjs/common';

/** What the provider sent back to `/api/oauth2-redirect` for the SDK's popup flow. */
export interface OAuth2RedirectMessage {
  /** The realtime client id the SDK put in `state`. */
  state: string;
  code: string;
  error: string;
}

/**
 * Hands an OAuth2 redirect to the SDK's realtime client (reference §2.4 step 4). The realtime module
 * binds its own implementation: it must find client `state`, check that it is connected, subscribed to
 * `@oauth2` and came from `ip`, push the `@oauth2` event `{state, code, error?}` and unsubscribe it.
 */
export abstract class OAuth2RedirectSink {
  /** True when a waiting client received the message. */
  abstract deliver(message: OAuth2RedirectMessage, ip: string): Promise<boolean>;
}

/** The sink while realtime does not exist: no client can be waiting. */
export class NoRealtimeRedirectSink extends OAuth2RedirectSink {
  override deliver(): Promise<boolean> {
    return Promise.resolve(false);
  }
}

/**
 * The sink in use: no client until the realtime module, when mounted in the same process, plugs its
 * own in at start (`use`). Provided by the global AuthCoreModule so realtime can reach it.
 */
@Injectable()
export class OAuth2RedirectSinks {
  private sink: OAuth2RedirectSink = new NoRealtimeRedirectSink();

  use(sink: OAuth2RedirectSink): void {
    this.sink = sink;
  }

  deliver(message: OAuth2RedirectMessage, ip: string): Promise<boolean> {
    return this.sink.deliver(message, ip);
  }
}
