import Fastify from 'fastify';
import { installMetrics, type AppConfig } from '@lib/core';

/**
 * bench/metrics' server (`server.js <on|off> <port>`): Fastify with `GET /api/health` and a parametric route
 * answering a small JSON body, with or without nestbase's HTTP metrics (libs/core/src/metrics/http-metrics.ts).
 */
async function main(): Promise<void> {
  const [mode, port] = process.argv.slice(2);
  const fastify = Fastify({ logger: false });
  const config = { metrics: { enabled: mode === 'on', token: '' } } as unknown as AppConfig;
  installMetrics(fastify, config);
  fastify.get('/api/health', async () => ({ code: 200 }));
  fastify.get('/api/collections/:collection/records/:id', async (request) => ({
    id: (request.params as { id: string }).id,
    title: 'a record',
  }));
  await fastify.listen({ port: Number(port), host: '127.0.0.1' });
}

void main();
