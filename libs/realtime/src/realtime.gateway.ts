import { Injectable, OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance } from 'fastify';
import { RealtimeConnections } from './realtime-connections.service';

/**
 * `GET /api/realtime` on Fastify directly: one route serving the SSE stream and, on an upgrade request, the
 * WebSocket (@fastify/websocket). `POST /api/realtime` is the Nest controller.
 */
@Injectable()
export class RealtimeGateway implements OnModuleInit {
  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly connections: RealtimeConnections,
  ) {}

  async onModuleInit(): Promise<void> {
    const fastify = this.adapterHost.httpAdapter?.getInstance<FastifyInstance>();
    if (!fastify) {
      return;
    }
    const { default: websocket } = await import('@fastify/websocket');
    void fastify.register(async (scope) => {
      await scope.register(websocket, { options: { maxPayload: 64 * 1024 } });
      scope.route({
        method: 'GET',
        url: '/api/realtime',
        handler: (request, reply) => this.connections.openSse(request, reply),
        wsHandler: (socket, request) => void this.connections.openWs(socket, request),
      });
    });
  }
}
