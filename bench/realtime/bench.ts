import { fork, spawn, type ChildProcess } from 'node:child_process';
import * as os from 'node:os';
import * as path from 'node:path';
import { MARKER, type ClientJob, type ClientReply, type ServerReply, type ServerRequest } from './protocol';
import { summarize, table, type PhaseResult } from './report';

/**
 * `npm run bench:realtime`: one server process (the standalone app, fd limit raised as far as allowed) holding
 * BENCH_CONNECTIONS (10,000) WebSocket subscribers, then as many SSE subscribers, fed by a writer creating
 * BENCH_EVENTS records at BENCH_RATE per second; the clients live in BENCH_CLIENT_PROCS separate processes.
 * Reports latency from commit (the bus publication after the commit) to receipt, the fraction delivered, the
 * fan-out rate and RSS per 1,000 connections, next to a bare `ws` broadcast of the same payload in the same run.
 * The rule is decided in memory (`@request.auth.verified = true`) for BENCH_USERS distinct users.
 */
const N = Number(process.env.BENCH_CONNECTIONS ?? 10_000);
const EVENTS = Number(process.env.BENCH_EVENTS ?? 20);
const RATE = Number(process.env.BENCH_RATE ?? 2);
const PROCS = Number(process.env.BENCH_CLIENT_PROCS ?? 3);
const USERS = Number(process.env.BENCH_USERS ?? 100);
const PHASE_MS = 180_000;
const dist = path.join(__dirname);
const paths = path.join(__dirname, '..', '..', '..', 'scripts', 'paths.js');
const log = (line: string) => process.stdout.write(`${line}\n`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function next<T extends { type: string }>(child: ChildProcess, type: T['type'], ms = PHASE_MS): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ${type} within ${ms} ms`)), ms);
    const on = (m: T) => {
      if (m.type === type) {
        clearTimeout(timer);
        child.off('message', on);
        resolve(m);
      }
    };
    child.on('message', on);
  });
}

/** The server with the highest fd limit the shell may set (`ulimit -n` is per process). */
function startServer(): ChildProcess {
  const script = `ulimit -n 65535 2>/dev/null || ulimit -n "$(ulimit -Hn)"; export BENCH_FD_LIMIT="$(ulimit -n)"; exec "$0" -r "$1" "$2"`;
  return spawn('bash', ['-c', script, process.execPath, paths, path.join(dist, 'server.js')], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
}

async function api(port: number, method: string, url: string, body?: unknown, token?: string) {
  const res = await fetch(`http://127.0.0.1:${port}${url}`, {
    method,
    headers: { 'content-type': 'application/json', ...(token ? { authorization: token } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (res.status >= 300) {
    throw new Error(`${method} ${url}: ${res.status} ${text}`);
  }
  return (text ? JSON.parse(text) : {}) as Record<string, unknown>;
}

async function openClients(job: Omit<ClientJob, 'count'>): Promise<ChildProcess[]> {
  const procs = Array.from({ length: PROCS }, () =>
    fork(path.join(dist, 'clients.js'), [], { execArgv: ['-r', paths] }),
  );
  const opened = procs.map((p) => next<Extract<ClientReply, { type: 'opened' }>>(p, 'opened'));
  procs.forEach((p, i) => {
    const count = Math.floor(N / PROCS) + (i < N % PROCS ? 1 : 0);
    p.send({ type: 'open', job: { ...job, count } });
  });
  const failed = (await Promise.all(opened)).reduce((sum, o) => sum + o.failed, 0);
  if (failed > 0) {
    log(`  ${failed} connections failed to open`);
  }
  return procs;
}

async function phase(
  label: string,
  server: ChildProcess,
  job: Omit<ClientJob, 'count'>,
  fire: (marker: string) => Promise<unknown>,
): Promise<PhaseResult & { sample: string }> {
  const rss = async () => (await ask<Extract<ServerReply, { type: 'rss' }>>(server, { type: 'rss' }, 'rss')).rss;
  const baseRss = await rss();
  await ask(server, { type: 'commits' }, 'commits'); // forget the setup's events
  const t0 = Date.now();
  const procs = await openClients(job);
  const connectMs = Date.now() - t0;
  const markers: string[] = [];
  const started = Date.now();
  const writes: Promise<unknown>[] = [];
  for (let e = 0; e < EVENTS; e++) {
    await sleep(Math.max(0, started + (e * 1000) / RATE - Date.now()));
    const marker = `ev${e}_${Math.random().toString(36).slice(2, 8)}`;
    markers.push(marker);
    writes.push(fire(marker));
  }
  await Promise.all(writes);
  await sleep(3000);
  const heldRss = await rss();
  const reports = await Promise.all(
    procs.map((p) => {
      const r = next<Extract<ClientReply, { type: 'report' }>>(p, 'report');
      p.send({ type: 'report' });
      return r;
    }),
  );
  const { commits, deliverMs } = await ask<Extract<ServerReply, { type: 'commits' }>>(
    server,
    { type: 'commits' },
    'commits',
  );
  procs.forEach((p) => p.send({ type: 'close' }));
  await Promise.all(procs.map((p) => new Promise((r) => p.once('exit', r))));
  await sleep(1000);
  const result = summarize(label, N, markers, commits, reports, { baseRss, heldRss, connectMs, deliverMs });
  return { ...result, sample: reports.find((r) => r.sample)?.sample ?? '' };
}

function ask<T>(server: ChildProcess, request: ServerRequest, type: string): Promise<T> {
  const reply = next<{ type: string }>(server, type) as Promise<T>;
  server.send(request);
  return reply;
}

async function main(): Promise<void> {
  const server = startServer();
  const ready = await next<Extract<ServerReply, { type: 'ready' }>>(server, 'ready', 60_000);
  const port = ready.port;
  const su = String(
    (
      await api(port, 'POST', '/api/collections/_superusers/auth-with-password', {
        identity: 'bench@example.com',
        password: 'Bench-Passw0rd-1',
      })
    ).token,
  );
  const rule = '@request.auth.verified = true';
  const fields = [{ name: 'title', type: 'text' }];
  await api(port, 'POST', '/api/collections', { name: 'items', listRule: rule, viewRule: rule, fields }, su);
  const tokens: string[] = [];
  for (let i = 0; i < USERS; i++) {
    const email = `u${i}@bench.test`;
    const password = 'Passw0rd-123';
    await api(
      port,
      'POST',
      '/api/collections/users/records',
      { email, password, passwordConfirm: password, verified: true },
      su,
    );
    tokens.push(
      String(
        (await api(port, 'POST', '/api/collections/users/auth-with-password', { identity: email, password })).token,
      ),
    );
  }
  log(
    `realtime fan-out: ${N} connections per row, ${EVENTS} events at ${RATE}/s, clients in ${PROCS} processes, ${os.cpus().length} CPUs, server fd limit ${ready.fdLimit}`,
  );
  const create = (marker: string) => api(port, 'POST', '/api/collections/items/records', { title: marker }, su);
  const results: PhaseResult[] = [];
  const ws = await phase('nestbase WebSocket', server, { kind: 'ws', port, tokens, topic: '' }, create);
  results.push(ws);
  const payload = ws.sample || JSON.stringify({ action: 'create', record: { title: 'ev0_x' }, topic: 'items/*' });
  const broadcast = (marker: string) => {
    server.send({ type: 'broadcast', marker, payload: payload.replace(MARKER, marker) } satisfies ServerRequest);
    return Promise.resolve();
  };
  results.push(
    await phase('raw ws broadcast', server, { kind: 'raw', port: ready.rawPort, tokens, topic: '' }, broadcast),
  );
  results.push(await phase('nestbase SSE', server, { kind: 'sse', port, tokens, topic: 'items/*' }, create));
  table(results, log);
  const { stats } = await ask<Extract<ServerReply, { type: 'stats' }>>(server, { type: 'stats' }, 'stats');
  log(`rule decisions: ${stats.memory} in memory, ${stats.sql} by SQL in ${stats.queries} queries`);
  server.send({ type: 'stop' } satisfies ServerRequest);
  await new Promise((r) => server.once('exit', r));
}

const deadline = setTimeout(() => {
  process.stderr.write('benchmark timed out\n');
  process.exit(1);
}, 15 * 60_000);
deadline.unref();

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
