import 'reflect-metadata';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as os from 'node:os';
import * as path from 'node:path';
import type { AddressInfo } from 'node:net';
import { createApp, loadConfig, type RecordPayload } from '@lib/core';
import { EventBus } from '@lib/events';
import { RealtimeAccess } from '@lib/realtime';
import { CollectionsRegistry } from '@lib/records';
import { StandaloneModule } from '../../apps/standalone/src/standalone.module';

/**
 * `npm run bench:realtime`: fan-out latency of one committed change to N subscribed SSE clients (commit → receipt,
 * measured from the bus publication), for a rule decided in memory and one that needs a join (batched SQL), next
 * to a bare SSE write loop of the same payload to N connections in the same process; then rule checks per second.
 * Env: BENCH_CLIENTS (200,1000), BENCH_EVENTS (5), BENCH_USERS (50).
 */

const CLIENTS = (process.env.BENCH_CLIENTS ?? '200,1000').split(',').map(Number);
const EVENTS = Number(process.env.BENCH_EVENTS ?? 5);
const USERS = Number(process.env.BENCH_USERS ?? 50);
const log = (line: string) => process.stdout.write(`${line}\n`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const pct = (xs: number[], p: number) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((xs.length * p) / 100))] ?? NaN;
const agent = new http.Agent({ keepAlive: true, maxSockets: 100_000 });

async function api(
  port: number,
  method: string,
  url: string,
  body?: unknown,
  token?: string,
): Promise<Record<string, unknown>> {
  const res = await fetch(`http://127.0.0.1:${port}${url}`, {
    method,
    headers: { 'content-type': 'application/json', ...(token ? { authorization: token } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (res.status >= 300) {
    throw new Error(`${method} ${url}: ${res.status} ${text}`);
  }
  return text ? (JSON.parse(text) as Record<string, unknown>) : {};
}

interface Stream {
  clientId: Promise<string>;
  /** Receipt time of the first chunk containing `marker`. */
  wait(marker: string): Promise<number>;
  close(): void;
}

function openStream(port: number, url = '/api/realtime'): Stream {
  let buffer = '';
  let resolveId: (id: string) => void = () => undefined;
  const clientId = new Promise<string>((r) => (resolveId = r));
  const waiters: { marker: string; resolve: (t: number) => void }[] = [];
  const req = http.get({ host: '127.0.0.1', port, path: url, agent }, (res) => {
    res.setEncoding('utf8');
    res.on('data', (chunk: string) => {
      const now = performance.now();
      buffer += chunk;
      const id = /"clientId":"(\w+)"/.exec(buffer);
      if (id) {
        resolveId(id[1]);
      }
      for (let i = waiters.length - 1; i >= 0; i--) {
        if (buffer.includes(waiters[i].marker)) {
          waiters[i].resolve(now);
          waiters.splice(i, 1);
        }
      }
      if (buffer.length > 4096) {
        buffer = buffer.slice(-2048);
      }
    });
  });
  req.on('error', () => undefined);
  return {
    clientId,
    wait: (marker) => new Promise((resolve) => waiters.push({ marker, resolve })),
    close: () => req.destroy(),
  };
}

async function fanOut(
  bus: EventBus,
  streams: Stream[],
  create: (marker: string) => Promise<unknown>,
): Promise<{ p50: number; p99: number; max: number; delivered: number }> {
  const lat: number[] = [];
  let delivered = 0;
  for (let e = 0; e < EVENTS; e++) {
    let committed = 0;
    const off = bus.subscribe('record.created', () => void (committed = performance.now()));
    const marker = `mark${e}_${Math.random().toString(36).slice(2)}`;
    const receipts = streams.map((s) => Promise.race([s.wait(marker), sleep(10_000).then(() => NaN)]));
    await create(marker);
    const times = await Promise.all(receipts);
    off();
    for (const t of times) {
      if (!Number.isNaN(t)) {
        delivered++;
        lat.push(t - committed);
      }
    }
  }
  return {
    p50: pct(lat, 50),
    p99: pct(lat, 99),
    max: Math.max(...lat),
    delivered: delivered / (EVENTS * streams.length),
  };
}

/** The raw baseline: a bare HTTP server writing the same SSE frame to N open responses. */
async function baseline(
  n: number,
  payload: string,
): Promise<{ p50: number; p99: number; max: number; delivered: number }> {
  const responses: http.ServerResponse[] = [];
  const server = http.createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    res.write(`id:x\nevent:PB_CONNECT\ndata:{"clientId":"raw"}\n\n`);
    responses.push(res);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const port = (server.address() as AddressInfo).port;
  const streams = Array.from({ length: n }, () => openStream(port, '/'));
  await Promise.all(streams.map((s) => s.clientId));
  const lat: number[] = [];
  let delivered = 0;
  for (let e = 0; e < EVENTS; e++) {
    const marker = `raw${e}_${Math.random().toString(36).slice(2)}`;
    const receipts = streams.map((s) => Promise.race([s.wait(marker), sleep(10_000).then(() => NaN)]));
    const t0 = performance.now();
    const frame = `id:x\nevent:items/*\ndata:${payload.replace('MARK', marker)}\n\n`;
    for (const res of responses) {
      res.write(frame);
    }
    for (const t of await Promise.all(receipts)) {
      if (!Number.isNaN(t)) {
        delivered++;
        lat.push(t - t0);
      }
    }
  }
  streams.forEach((s) => s.close());
  responses.forEach((r) => r.destroy());
  await new Promise((r) => server.close(r));
  return { p50: pct(lat, 50), p99: pct(lat, 99), max: Math.max(...lat), delivered: delivered / (EVENTS * n) };
}

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
  const bus = app.get(EventBus);
  const su = String(
    (
      await api(port, 'POST', '/api/collections/_superusers/auth-with-password', {
        identity: 'bench@example.com',
        password: 'Bench-Passw0rd-1',
      })
    ).token,
  );
  const owner = { name: 'owner', type: 'relation', collectionId: '_pb_users_auth_', maxSelect: 1 };
  const rules = {
    memory: '@request.auth.verified = true && @request.auth.id != title',
    join: 'owner.verified = true && @request.auth.id != title',
  };
  for (const [name, rule] of Object.entries(rules)) {
    await api(
      port,
      'POST',
      '/api/collections',
      { name: `items_${name}`, listRule: rule, viewRule: rule, fields: [{ name: 'title', type: 'text' }, owner] },
      su,
    );
  }
  const users: { id: string; token: string }[] = [];
  for (let i = 0; i < USERS; i++) {
    const email = `u${i}@bench.test`;
    const rec = await api(
      port,
      'POST',
      '/api/collections/users/records',
      { email, password: 'Passw0rd-123', passwordConfirm: 'Passw0rd-123', verified: true },
      su,
    );
    const auth = await api(port, 'POST', '/api/collections/users/auth-with-password', {
      identity: email,
      password: 'Passw0rd-123',
    });
    users.push({ id: String(rec.id), token: String(auth.token) });
  }
  log(`realtime fan-out, ${EVENTS} events per row, clients and server in one process (${os.cpus().length} CPUs)`);
  log('target                      clients   p50 ms   p99 ms   max ms   delivered');
  const row = (label: string, n: number, r: { p50: number; p99: number; max: number; delivered: number }) =>
    log(
      `${label.padEnd(28)}${String(n).padStart(7)}${r.p50.toFixed(1).padStart(9)}${r.p99.toFixed(1).padStart(9)}${r.max.toFixed(1).padStart(9)}${(r.delivered * 100).toFixed(1).padStart(11)}%`,
    );
  for (const n of CLIENTS) {
    for (const name of Object.keys(rules)) {
      const streams = Array.from({ length: n }, () => openStream(port));
      const ids = await Promise.all(streams.map((s) => s.clientId));
      for (let i = 0; i < ids.length; i += 100) {
        await Promise.all(
          ids
            .slice(i, i + 100)
            .map((clientId, j) =>
              api(
                port,
                'POST',
                '/api/realtime',
                { clientId, subscriptions: [`items_${name}/*`] },
                users[(i + j) % users.length].token,
              ),
            ),
        );
      }
      const result = await fanOut(bus, streams, (title) =>
        api(port, 'POST', `/api/collections/items_${name}/records`, { title, owner: users[0].id }, su),
      );
      row(`nestbase, ${name} rule`, n, result);
      streams.forEach((s) => s.close());
      await sleep(300);
    }
    row(
      'raw SSE write loop',
      n,
      await baseline(n, JSON.stringify({ action: 'create', record: { id: 'x', title: 'MARK' } })),
    );
  }
  await ruleChecks(app.get(RealtimeAccess), app.get(CollectionsRegistry), users);
  await app.close();
  agent.destroy();
  fs.rmSync(dir, { recursive: true, force: true });
}

async function ruleChecks(
  access: RealtimeAccess,
  registry: CollectionsRegistry,
  users: { id: string }[],
): Promise<void> {
  const users0 = registry.findCollection('users')!;
  const record: RecordPayload['record'] = { id: 'r1', title: 't', owner: users[0].id, created: '', updated: '' };
  const requests = Array.from({ length: 5000 }, (_, i) => ({
    auth: {
      collectionId: users0.id,
      collectionName: 'users',
      isSuperuser: false,
      record: { id: `user${i}`, verified: true },
    },
    query: {},
    headers: {},
    method: 'GET',
    context: 'realtime',
  }));
  log('\nrule checks (one record, 5000 distinct requesters per call)');
  for (const name of ['memory', 'join']) {
    const c = registry.findCollection(`items_${name}`)!;
    const start = performance.now();
    let checks = 0;
    while (performance.now() - start < 2000) {
      await access.check(c, { rule: 'listRule' }, record, requests);
      checks += requests.length;
    }
    const seconds = (performance.now() - start) / 1000;
    log(`  ${name.padEnd(8)} ${Math.round(checks / seconds).toLocaleString('en-US')} checks/s`);
  }
  log(`  decided in memory ${access.stats.memory}, by SQL ${access.stats.sql} in ${access.stats.queries} queries`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
