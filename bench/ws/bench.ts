import * as os from 'node:os';
import * as path from 'node:path';
import WebSocket from 'ws';
import { cpuMs, freePort, rssMb, start, stop, waitHealthy, type Server } from '../records/processes';

/**
 * `node -r ./scripts/paths.js dist/bench/ws/bench.js`: our WebSocket endpoint's transport (a Fastify route with
 * @fastify/websocket, as the realtime app) against the design card's Nest WebSocket gateway (@nestjs/websockets
 * on @nestjs/platform-ws), both in a Nest app on Fastify (ws-servers.ts): BENCH_CLIENTS (100) clients each send
 * an echo request and wait for the answer, in a loop for BENCH_SECONDS (5); messages/s, p50/p99 round trip,
 * server CPU µs per message, server RSS with the clients connected. Targets alternate, median of BENCH_ROUNDS (3).
 */

const seconds = Number(process.env.BENCH_SECONDS ?? 5) || 5;
const clients = Number(process.env.BENCH_CLIENTS ?? 100) || 100;
const rounds = Number(process.env.BENCH_ROUNDS ?? 3) || 3;
const log = (line: string) => process.stdout.write(`${line}\n`);

interface Run {
  rate: number;
  p50: number;
  p99: number;
  cpuUs: number;
  rss: number;
}

function open(port: number): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${port}/ws`);
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
  });
}

async function loop(ws: WebSocket, until: number, times: number[]): Promise<void> {
  while (Date.now() < until) {
    const t0 = process.hrtime.bigint();
    await new Promise<void>((resolve) => {
      ws.once('message', () => resolve());
      ws.send(JSON.stringify({ event: 'echo', data: { n: 1, topic: 'posts/*' } }));
    });
    times.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
}

async function measure(server: Server): Promise<Run> {
  const sockets = await Promise.all(Array.from({ length: clients }, () => open(server.port)));
  await Promise.all(sockets.map((ws) => loop(ws, Date.now() + 500, [])));
  const times: number[] = [];
  const cpu0 = cpuMs(server) ?? 0;
  const t0 = Date.now();
  await Promise.all(sockets.map((ws) => loop(ws, t0 + seconds * 1000, times)));
  const elapsed = (Date.now() - t0) / 1000;
  const cpu = (cpuMs(server) ?? 0) - cpu0;
  const rss = rssMb(server) ?? 0;
  sockets.forEach((ws) => ws.close());
  times.sort((a, b) => a - b);
  const at = (q: number) => times[Math.min(times.length - 1, Math.floor(times.length * q))];
  return { rate: times.length / elapsed, p50: at(0.5), p99: at(0.99), cpuUs: (cpu * 1000) / times.length, rss };
}

async function run(mode: string): Promise<Run> {
  const port = await freePort();
  const script = path.join(__dirname, 'ws-servers.js');
  const paths = path.join(__dirname, '..', '..', '..', 'scripts', 'paths.js');
  const server = start(mode, port, ['-r', paths, script, mode, String(port)], process.env);
  try {
    await waitHealthy(server, process.hrtime.bigint());
    return await measure(server);
  } finally {
    await stop(server);
  }
}

async function main(): Promise<void> {
  log(
    `ws bench: node ${process.version}, ${os.cpus().length} CPUs, ${clients} clients, ${seconds} s, ${rounds} rounds`,
  );
  const runs: Record<string, Run[]> = { fastify: [], nest: [] };
  for (let i = 0; i < rounds; i++) {
    for (const mode of ['fastify', 'nest']) {
      runs[mode].push(await run(mode));
    }
  }
  const median = (xs: Run[]) => [...xs].sort((a, b) => a.cpuUs - b.cpuUs)[Math.floor(xs.length / 2)];
  const ours = median(runs.fastify);
  for (const [mode, label] of [
    ['fastify', 'ours (@fastify/websocket route)'],
    ['nest', '@nestjs/websockets + platform-ws'],
  ] as const) {
    const r = median(runs[mode]);
    log(
      `${label.padEnd(34)} ${r.rate.toFixed(0).padStart(6)} msg/s  p50 ${r.p50.toFixed(2)} ms  p99 ${r.p99.toFixed(2)} ms  ` +
        `${r.cpuUs.toFixed(1)} µs CPU/msg (${((r.cpuUs / ours.cpuUs) * 100).toFixed(0)} %)  RSS ${r.rss.toFixed(0)} MB`,
    );
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
