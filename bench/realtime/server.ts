import 'reflect-metadata';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { createApp, loadConfig } from '@lib/core';
import { EventBus } from '@lib/events';
import { RealtimeAccess, RealtimeClients, RealtimeDelivery } from '@lib/realtime';
import { StandaloneModule } from '../../apps/standalone/src/standalone.module';
import { now, type ServerReply, type ServerRequest } from './protocol';

/**
 * The benchmark's server process (spawned by bench.ts with the highest fd limit allowed): the standalone app on a
 * fresh data dir, a hook on the bus noting when each record event was published (after its commit), and a bare
 * `ws` server on another port for the raw broadcast baseline. Talks to bench.ts over IPC.
 */
async function main(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nestbase-bench-rt-'));
  const config = loadConfig({
    NB_DIR: dir,
    NB_BCRYPT_COST: '4',
    NB_LOG_LEVEL: 'error',
    PB_ADMIN_EMAIL: 'bench@example.com',
    PB_ADMIN_PASSWORD: 'Bench-Passw0rd-1',
  });
  const app = await createApp(StandaloneModule.forRoot(config) as never, config);
  await app.listen(0, '127.0.0.1');
  const port = (app.getHttpServer().address() as AddressInfo).port;
  const commits = new Map<string, number>();
  app.get(EventBus).subscribe('record.created', (p) => void commits.set(String(p.record.title), now()));

  const delivery = app.get(RealtimeDelivery);
  const deliver = delivery.deliver.bind(delivery);
  let deliverMs: number[] = [];
  delivery.deliver = async (...args) => {
    const t = now();
    await deliver(...args);
    deliverMs.push(now() - t);
  };

  const raw = new WebSocketServer({ host: '127.0.0.1', port: 0, perMessageDeflate: false });
  await new Promise((r) => raw.once('listening', r));
  const rawClients = new Set<WebSocket>();
  raw.on('connection', (ws) => {
    rawClients.add(ws);
    ws.once('close', () => rawClients.delete(ws));
  });

  const reply = (message: ServerReply) => process.send?.(message);
  process.on('message', (message: ServerRequest) => {
    switch (message.type) {
      case 'rss':
        reply({ type: 'rss', rss: process.memoryUsage().rss, clients: app.get(RealtimeClients).size });
        return;
      case 'commits':
        reply({ type: 'commits', commits: Object.fromEntries(commits), deliverMs });
        commits.clear();
        deliverMs = [];
        return;
      case 'broadcast': {
        const frame = Buffer.from(message.payload);
        commits.set(message.marker, now());
        for (const ws of rawClients) {
          ws.send(frame, { binary: false });
        }
        return;
      }
      case 'stats':
        reply({ type: 'stats', stats: { ...app.get(RealtimeAccess).stats } });
        return;
      case 'stop':
        raw.close();
        void app.close().then(() => {
          fs.rmSync(dir, { recursive: true, force: true });
          process.exit(0);
        });
        return;
    }
  });
  reply({ type: 'ready', port, rawPort: (raw.address() as AddressInfo).port, fdLimit: fdLimit() });
}

/** The soft fd limit this process got (`ulimit -n` of the shell that exec'd it). */
function fdLimit(): number {
  return Number(process.env.BENCH_FD_LIMIT ?? 0);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
