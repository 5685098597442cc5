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
 * `onRealtimeConnectRequest` before an SSE stream opens, `onRealtimeMessageSend` before each message to a client (SSE or
 * WebSocket)
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
   * Sends one message (`data`: its JSON text; for a WebSocket client the whole `{action, record, topic}` frame)
   * through `onRealtimeMessageSend` when it has handlers: what the client's transport answered (false: dropped, a
   * slow client), undefined when a handler held it back. Handlers see the same `e.message` for both transports:
   * `name` the topic, `data` the `{action, record}` JSON; a WebSocket frame is made again from what they leave.
   */
  async send(client: RealtimeClient, name: string, data: string): Promise<boolean | undefined> {
    if (!this.hooks?.has('onRealtimeMessageSend')) {
      return client.sendSerialized(name, data);
    }
    const ws = client.kind === 'ws';
    const event = { client: clientView(client), message: { name, data: ws ? withoutTopic(data) : data } };
    let sent: boolean | undefined;
    try {
      await this.hooks.run('onRealtimeMessageSend', event, async (e) => {
        const topic = String(e.message.name);
        const text = messageText(e.message.data);
        sent = client.sendSerialized(topic, ws ? wsFrame(topic, text) : text);
      });
    } catch (error) {
      this.logger.debug(`message ${name} to ${client.id} not sent: ${String(error)}`);
    }
    return sent;
  }
}

/** A WebSocket frame's JSON without its `topic` (the data an SSE client gets). */
function withoutTopic(frame: string): string {
  const parsed = parseObject(frame);
  if (!parsed) {
    return frame;
  }
  delete parsed.topic;
  return JSON.stringify(parsed);
}

/** The WebSocket frame of a message: its JSON object with `topic`, or the text as it is when it is no object. */
function wsFrame(topic: string, text: string): string {
  const parsed = parseObject(text);
  return parsed ? JSON.stringify({ ...parsed, topic }) : text;
}

function parseObject(text: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : null;
  } catch {
    return null;
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
