import 'reflect-metadata';
import { Controller, Get, Injectable, Module, OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost, NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { WsAdapter } from '@nestjs/platform-ws';
import { MessageBody, SubscribeMessage, WebSocketGateway } from '@nestjs/websockets';
import type { FastifyInstance } from 'fastify';

/**
 * The two WebSocket servers of bench/ws (run as a child: `ws-servers.js <fastify|nest> <port>`), both a Nest
 * app on Fastify answering `GET /api/health` and a WebSocket at `/ws` that echoes `{event:"echo",data}` frames:
 * - fastify: ours — a route with @fastify/websocket's `wsHandler`, as libs/realtime/src/realtime.gateway.ts;
 * - nest: the design card's — a `@WebSocketGateway` with `@SubscribeMessage('echo')` on `@nestjs/platform-ws`.
 */

@Controller('api')
class HealthController {
  @Get('health')
  health(): { code: number } {
    return { code: 200 };
  }
}

@Injectable()
class FastifyWsRoute implements OnModuleInit {
  constructor(private readonly host: HttpAdapterHost) {}

  async onModuleInit(): Promise<void> {
    const fastify = this.host.httpAdapter.getInstance<FastifyInstance>();
    const { default: websocket } = await import('@fastify/websocket');
    void fastify.register(async (scope) => {
      await scope.register(websocket, { options: { maxPayload: 64 * 1024 } });
      scope.route({
        method: 'GET',
        url: '/ws',
        handler: (_request, reply) => reply.status(426).send(),
        wsHandler: (socket) => {
          socket.on('message', (raw: Buffer) => {
            const message = JSON.parse(raw.toString()) as { event: string; data: unknown };
            if (message.event === 'echo') {
              socket.send(JSON.stringify({ event: 'echo', data: message.data }));
            }
          });
        },
      });
    });
  }
}

@WebSocketGateway({ path: '/ws' })
class EchoGateway {
  @SubscribeMessage('echo')
  echo(@MessageBody() data: unknown): { event: string; data: unknown } {
    return { event: 'echo', data };
  }
}

@Module({ controllers: [HealthController], providers: [FastifyWsRoute] })
class FastifyWsModule {}

@Module({ controllers: [HealthController], providers: [EchoGateway] })
class NestWsModule {}

async function main(): Promise<void> {
  const [mode, port] = process.argv.slice(2);
  const module = mode === 'nest' ? NestWsModule : FastifyWsModule;
  const app = await NestFactory.create<NestFastifyApplication>(module, new FastifyAdapter(), { logger: ['error'] });
  if (mode === 'nest') {
    app.useWebSocketAdapter(new WsAdapter(app));
  }
  await app.listen(Number(port), '127.0.0.1');
}

void main();
