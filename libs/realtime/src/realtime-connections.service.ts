import { Injectable } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { WebSocket } from 'ws';
import { ApiError, finishUpgrade, randomString } from '@lib/core';
import { RealtimeAuthResolver } from './realtime-auth.resolver';
import { RealtimeClient } from './realtime-client';
import { RealtimeClients } from './realtime-clients';
import { RealtimeHooks } from './realtime-hooks';
import { SSE_LIMITS, SseTransport } from './sse-transport';
import { parseTopic, topicsProblem } from './topic';
import { WS_LIMITS, WsTransport } from './ws-transport';

const ID_ALPHABET = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

/** Opens realtime connections: PocketBase's SSE stream and the tutorial's WebSocket. */
@Injectable()
export class RealtimeConnections {
  /** SSE timeouts and buffer bound; tests and the benchmark may change them. */
  sseLimits = SSE_LIMITS;
  /** WebSocket ping interval and buffer bound. */
  wsLimits = WS_LIMITS;

  constructor(
    private readonly clients: RealtimeClients,
    private readonly auth: RealtimeAuthResolver,
    private readonly hooks: RealtimeHooks,
  ) {}

  /**
   * `GET /api/realtime`: the stream, its `PB_CONNECT` message, and the client for later POSTs. `onRealtimeConnectRequest`
   * handlers run first (they may refuse it with an error, or change its idle timeout).
   */
  async openSse(request: FastifyRequest, reply: FastifyReply): Promise<void> {
    const id = randomString(40, ID_ALPHABET);
    let limits = this.sseLimits;
    if (this.hooks.onConnect) {
      try {
        const query = (request.query ?? {}) as Record<string, unknown>;
        const idleMs = await this.hooks.connect(id, limits.idleMs, { headers: request.headers, query, ip: request.ip });
        limits = { ...limits, idleMs };
      } catch (error) {
        const status = error instanceof ApiError ? error.status : 400;
        const data = error instanceof ApiError ? error.data : {};
        const message = error instanceof Error ? error.message : 'The connection was refused.';
        await reply.code(status).send({ status, message, data });
        return;
      }
    }
    reply.hijack();
    const res = reply.raw;
    res.writeHead(200, {
      ...(reply.getHeaders() as Record<string, string>),
      'Content-Type': 'text/event-stream',
      'Cache-Control': 'no-store',
      Connection: 'keep-alive',
      'X-Accel-Buffering': 'no',
    });
    res.socket?.setNoDelay(true);
    // A long-lived stream with its own idle limit (SseLimits): the server's idle-socket timeout doesn't apply.
    res.socket?.setTimeout(0);
    let client: RealtimeClient | undefined = undefined;
    const transport = new SseTransport(res, id, limits, () => client && this.clients.remove(client));
    client = new RealtimeClient(id, 'sse', request.ip, transport);
    this.clients.add(client);
    await this.hooks.send(client, 'PB_CONNECT', JSON.stringify({ clientId: id }));
  }

  /** `GET /api/realtime` with an upgrade: `?token=` or `Authorization`, then JSON messages both ways. */
  async openWs(socket: WebSocket, request: FastifyRequest): Promise<void> {
    const query = (request.query ?? {}) as Record<string, unknown>;
    const header = typeof query.token === 'string' && query.token ? query.token : request.headers.authorization;
    const transport = new WsTransport(socket, this.wsLimits);
    const client = new RealtimeClient(randomString(40, ID_ALPHABET), 'ws', request.ip, transport);
    socket.on('message', (data: Buffer) => this.onWsMessage(client, transport, data));
    socket.once('close', () => this.clients.remove(client));
    try {
      this.clients.bind(client, await this.auth.resolve(header));
    } finally {
      // the upgrade's access line and span (with the gateway's X-Request-Id and traceparent when proxied)
      finishUpgrade(request, client.auth ? String(client.auth.record.id) : undefined);
    }
    if (socket.readyState !== socket.OPEN) {
      return;
    }
    this.clients.add(client);
    transport.reply({
      type: 'connected',
      clientId: client.id,
      auth: client.auth ? String(client.auth.record.id) : null,
    });
  }

  private onWsMessage(client: RealtimeClient, transport: WsTransport, data: Buffer): void {
    let message: { type?: unknown; topics?: unknown };
    try {
      message = JSON.parse(data.toString()) as typeof message;
    } catch {
      transport.reply({ type: 'error', message: 'Invalid JSON message.' });
      return;
    }
    const topics = Array.isArray(message.topics)
      ? message.topics.filter((t): t is string => typeof t === 'string')
      : [];
    switch (message.type) {
      case 'ping':
        transport.reply({ type: 'pong' });
        return;
      case 'subscribe': {
        const problem = topicsProblem(topics, new Set([...client.subscriptions.keys(), ...topics]).size);
        if (problem) {
          transport.reply({ type: 'error', message: problem });
          return;
        }
        if (client.allCollections) {
          client.allCollections = false;
        }
        topics.forEach((t) => client.subscriptions.set(t, parseTopic(t)));
        break;
      }
      case 'unsubscribe':
        if (topics.length === 0) {
          client.allCollections = false;
          client.subscriptions.clear();
        }
        topics.forEach((t) => client.subscriptions.delete(t));
        break;
      default:
        transport.reply({ type: 'error', message: 'Unknown message type.' });
        return;
    }
    transport.reply({ type: 'subscribed', topics: client.allCollections ? ['*'] : [...client.subscriptions.keys()] });
  }
}
