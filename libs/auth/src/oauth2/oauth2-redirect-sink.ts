import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { AppConfig } from '@lib/core';
import { EventBus } from '@lib/events';

/** How long a redirect waits for the realtime instance holding its client to answer (distributed set). */
const REMOTE_TIMEOUT_MS = 2000;

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

/**
 * The sinks in use: the realtime module of this process, when mounted, plugs its own in at start (`use`);
 * with Redis (`REDIS_URL`) a redirect no local client takes is published on the bus (`oauth2.redirect`), and
 * the realtime instance holding the client answers `oauth2.delivered` (the distributed set, where auth and
 * realtime are separate processes). Provided by the global AuthCoreModule so realtime can reach it.
 */
@Injectable()
export class OAuth2RedirectSinks {
  private local?: OAuth2RedirectSink;

  constructor(
    private readonly bus: EventBus,
    private readonly config: AppConfig,
  ) {}

  use(sink: OAuth2RedirectSink): void {
    this.local = sink;
  }

  async deliver(message: OAuth2RedirectMessage, ip: string): Promise<boolean> {
    if (this.local && (await this.local.deliver(message, ip))) {
      return true;
    }
    return this.config.redis.url ? this.deliverElsewhere(message, ip) : false;
  }

  private deliverElsewhere(message: OAuth2RedirectMessage, ip: string): Promise<boolean> {
    const requestId = randomUUID();
    return new Promise((resolve) => {
      const done = (delivered: boolean) => {
        clearTimeout(timer);
        unsubscribe();
        resolve(delivered);
      };
      const timer = setTimeout(() => done(false), REMOTE_TIMEOUT_MS);
      const unsubscribe = this.bus.subscribe('oauth2.delivered', (answer) => {
        if (answer.requestId === requestId) {
          done(true);
        }
      });
      this.bus.publish('oauth2.redirect', { requestId, ...message, ip });
    });
  }
}
