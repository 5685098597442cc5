import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import { HookPoints } from '@lib/core';
import type { RealtimeClient } from './realtime-client';

/** A realtime client as hooks see it (PocketBase's `subscriptions.Client`). */
export function clientView(client: RealtimeClient) {
  return {
    id: () => client.id,
    subscriptions: () => [...client.subscriptions.keys()],
    hasSubscription: (key: string) => client.subscriptions.has(key),
    get: (key: string) => (key === 'auth' ? (client.auth?.record ?? null) : null),
  };
}

/** What the connect handlers see of the `GET /api/realtime` request. */
export interface ConnectRequest {
  headers: Record<string, string | string[] | undefined>;
  query: Record<string, unknown>;
  ip: string;
}

/**
 * The realtime hook points where hooks run (standalone; the realtime service with `--hooksDir`):
 * `onRealtimeConnectRequest` before an SSE stream opens, `onRealtimeMessageSend` before each message to an SSE client
 * (`e.message.name` / `e.message.data` changeable; a handler that throws or doesn't call `e.next()` drops it).
 */
@Injectable()
export class RealtimeHooks {
  private readonly logger = new Logger('RealtimeHooks');

  constructor(@Optional() @Inject(HookPoints) private readonly hooks: HookPoints | null = null) {}

  get onMessage(): boolean {
    return this.hooks?.has('onRealtimeMessageSend') ?? false;
  }

  get onConnect(): boolean {
    return this.hooks?.has('onRealtimeConnectRequest') ?? false;
  }

  /**
   * Runs the connect handlers for the client about to get `id` (`e.idleTimeout` in ms, changeable); rejects with
   * their error when they refuse the connection.
   */
  async connect(id: string, idleTimeoutMs: number, request: ConnectRequest): Promise<number> {
    const client = { id: () => id, subscriptions: () => [], hasSubscription: () => false, get: () => null };
    const lower = (name: string) => name.toLowerCase();
    const header = (name: string) => String(request.headers[lower(name)] ?? '');
    const query = (name: string) => {
      const value = request.query[name];
      return typeof value === 'string' ? value : '';
    };
    const req = {
      method: 'GET',
      header: { get: header },
      url: { query: () => ({ get: query }) },
      remoteAddr: request.ip,
    };
    const requestInfo = () => ({ method: 'GET', headers: request.headers, query: request.query, body: {}, auth: null });
    const event = { client, idleTimeout: idleTimeoutMs, request: req, requestInfo, realIP: () => request.ip };
    const e = await this.hooks!.run('onRealtimeConnectRequest', event, async (e) => e);
    return Number(e.idleTimeout) > 0 ? Number(e.idleTimeout) : idleTimeoutMs;
  }

  /**
   * Sends one message (`data`: its JSON text) through `onRealtimeMessageSend` when it has handlers: what the
   * client's transport answered (false: dropped, a slow client), undefined when a handler held it back.
   */
  async send(client: RealtimeClient, name: string, data: string): Promise<boolean | undefined> {
    if (client.kind !== 'sse' || !this.hooks?.has('onRealtimeMessageSend')) {
      return client.sendSerialized(name, data);
    }
    const event = { client: clientView(client), message: { name, data } };
    let sent: boolean | undefined;
    try {
      await this.hooks.run('onRealtimeMessageSend', event, async (e) => {
        sent = client.sendSerialized(String(e.message.name), messageText(e.message.data));
      });
    } catch (error) {
      this.logger.debug(`message ${name} to ${client.id} not sent: ${String(error)}`);
    }
    return sent;
  }
}

/** `e.message.data` as a handler left it: text, bytes (PocketBase's `[]byte`) or a value to send as JSON. */
function messageText(data: unknown): string {
  if (typeof data === 'string') {
    return data;
  }
  if (data instanceof Uint8Array || (Array.isArray(data) && data.every((b) => typeof b === 'number'))) {
    return Buffer.from(data as Uint8Array).toString();
  }
  return JSON.stringify(data);
}
