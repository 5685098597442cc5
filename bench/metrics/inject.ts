import Fastify, { type FastifyInstance } from 'fastify';
import { installMetrics, type AppConfig } from '@lib/core';

/**
 * `node -r ./scripts/paths.js dist/bench/metrics/inject.js`: the HTTP metrics' CPU per request without sockets
 * (Fastify's `inject`), two apps in one process, with and without them, alternated in short blocks so a busy
 * machine weighs on both alike; median µs per request of each and the difference.
 */
async function app(on: boolean): Promise<FastifyInstance> {
  const fastify = Fastify({ logger: false });
  installMetrics(fastify, { metrics: { enabled: on, token: '' } } as unknown as AppConfig);
  fastify.get('/api/collections/:collection/records/:id', async (request) => ({
    id: (request.params as { id: string }).id,
    title: 'a record',
  }));
  await fastify.ready();
  return fastify;
}

async function main(): Promise<void> {
  const apps = { off: await app(false), on: await app(true) };
  const cost: Record<'off' | 'on', number[]> = { off: [], on: [] };
  const perBlock = 4000;
  for (let round = 0; round < 12; round++) {
    for (const mode of round % 2 ? (['on', 'off'] as const) : (['off', 'on'] as const)) {
      const start = process.cpuUsage();
      for (let i = 0; i < perBlock; i++) {
        await apps[mode].inject({ method: 'GET', url: `/api/collections/posts/records/r${i}` });
      }
      const used = process.cpuUsage(start);
      if (round > 1) {
        cost[mode].push((used.user + used.system) / perBlock);
      }
    }
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
  for (const mode of ['off', 'on'] as const) {
    process.stdout.write(
      `${mode.padEnd(3)} ${cost[mode].map((x) => x.toFixed(1)).join(' ')} µs/req, median ${median(cost[mode]).toFixed(1)}\n`,
    );
  }
  process.stdout.write(`metrics: ${(median(cost.on) - median(cost.off)).toFixed(1)} µs CPU per request\n`);
}

void main();
