// The gateway's cost: the same requests straight to a nestbase server (the baseline, measured in the same
// run) and through `nestbase gateway` in front of it: its fast path with the access log off and on, its Fastify
// path (NB_GATEWAY_FAST_PATH=false), and a bare TCP relay (relay.ts: the floor of any proxy on Node's sockets).
// Prints req/s, p99, the ratio to direct and the CPU time of the process asked per request (the gateway's own
// cost; the service's for direct), median of the rounds. BENCH_SECONDS, BENCH_ROUNDS, BENCH_CONCURRENCY tune it; NB_CPU_PROF_DIR=dir profiles the gateways.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { call, runLoad, type LoadRequest, type LoadResult } from '../records/load';
import { ADMIN, ROOT, cpuMs, freePort, start, stop, waitHealthy, type Server } from '../records/processes';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 3);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 16);
const BIN = path.join(ROOT, 'bin', 'nestbase.js');

async function service(
  name: string,
  args: string[],
  env: Record<string, string>,
  flags: string[] = [],
): Promise<Server> {
  const port = await freePort();
  const server = start(name, port, [...flags, BIN, ...args, '--http', `127.0.0.1:${port}`], {
    ...process.env,
    NB_LOG_LEVEL: 'error',
    ...env,
  });
  await waitHealthy(server, process.hrtime.bigint());
  return server;
}

/** `--cpu-prof` flags for a gateway when NB_CPU_PROF_DIR is set (the profile is written when it stops). */
function profile(name: string): string[] {
  const dir = process.env.NB_CPU_PROF_DIR;
  return dir ? ['--cpu-prof', '--cpu-prof-dir', dir, '--cpu-prof-name', `gateway-${name}.cpuprofile`] : [];
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

async function main(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nestbase-bench-gw-'));
  // The upstream serves every route (`serve`), so one process stands for all the services.
  const records = await service('upstream', ['serve', '--dir', dir], {
    PB_ADMIN_EMAIL: ADMIN.email,
    PB_ADMIN_PASSWORD: ADMIN.password,
  });
  const upstream = `http://127.0.0.1:${records.port}`;
  const upstreams = {
    NB_UPSTREAM_RECORDS: upstream,
    NB_UPSTREAM_AUTH: upstream,
    NB_UPSTREAM_FILES: upstream,
    NB_UPSTREAM_REALTIME: upstream,
  };
  const quiet = await service('gateway', ['gateway'], { ...upstreams, NB_ACCESS_LOG: 'false' }, profile('fast'));
  const logging = await service('gateway', ['gateway'], { ...upstreams, NB_ACCESS_LOG: 'true' });
  const fastify = await service(
    'gateway',
    ['gateway'],
    { ...upstreams, NB_ACCESS_LOG: 'false', NB_GATEWAY_FAST_PATH: 'false' },
    profile('fastify'),
  );
  const relayPort = await freePort();
  const relay = start('relay', relayPort, [path.join(__dirname, 'relay.js'), String(relayPort), String(records.port)], {
    ...process.env,
  });
  await waitHealthy(relay, process.hrtime.bigint());
  logging.child.stdout?.removeAllListeners('data');
  logging.child.stdout?.resume();
  try {
    const { token } = await call<{ token: string }>(records.port, {
      method: 'POST',
      path: '/api/collections/_superusers/auth-with-password',
      body: { identity: ADMIN.email, password: ADMIN.password },
    });
    const auth = { authorization: token };
    await call(records.port, {
      method: 'POST',
      path: '/api/collections',
      headers: auth,
      body: {
        name: 'notes',
        type: 'base',
        listRule: '',
        viewRule: '',
        createRule: '',
        fields: [{ name: 'title', type: 'text' }],
      },
    });
    const note = await call<{ id: string }>(records.port, {
      method: 'POST',
      path: '/api/collections/notes/records',
      headers: auth,
      body: { title: 'hello through the gateway' },
    });
    const scenarios: Record<string, LoadRequest> = {
      health: { method: 'GET', path: '/api/health' },
      'view record': { method: 'GET', path: `/api/collections/notes/records/${note.id}` },
      'list records': { method: 'GET', path: '/api/collections/notes/records?perPage=30' },
      'create record': { method: 'POST', path: '/api/collections/notes/records', body: { title: 'created' } },
    };
    const targets: [string, Server][] = [
      ['direct (baseline)', records],
      ['gateway', quiet],
      ['gateway + access log', logging],
      ['gateway, Fastify path', fastify],
      ['TCP relay (floor)', relay],
    ];
    const results: Record<string, Record<string, (LoadResult & { gatewayUs: number })[]>> = {};
    for (let round = 0; round < ROUNDS; round++) {
      for (const [scenario, request] of Object.entries(scenarios)) {
        for (const [target, server] of targets) {
          const cpuBefore = cpuMs(server) ?? 0;
          const result = await runLoad({
            port: server.port,
            concurrency: CONCURRENCY,
            durationMs: SECONDS * 1000,
            maxRequests: 2_000_000,
            next: () => request,
          });
          if (result.errors > 0) {
            throw new Error(`${target} ${scenario}: ${result.errors} errors, first ${result.firstError}`);
          }
          // CPU of the process the client talks to, per request: the gateway's own cost (the upstream's for direct).
          const gatewayUs = (((cpuMs(server) ?? 0) - cpuBefore) * 1000) / Math.max(1, result.requests);
          ((results[scenario] ??= {})[target] ??= []).push({ ...result, gatewayUs });
        }
      }
    }
    process.stdout.write(
      `gateway bench: ${ROUNDS} rounds × ${SECONDS} s, ${CONCURRENCY} connections, median of rounds\n\n` +
        '| scenario | target | req/s | p99 ms | ratio to direct | CPU µs/request of the process asked |\n' +
        '|---|---|---|---|---|---|\n',
    );
    for (const [scenario, byTarget] of Object.entries(results)) {
      const base = median(byTarget['direct (baseline)'].map((r) => r.rps));
      for (const [target, runs] of Object.entries(byTarget)) {
        const rps = median(runs.map((r) => r.rps));
        const p99 = median(runs.map((r) => r.p99Ms));
        const us = median(runs.map((r) => r.gatewayUs));
        const ratio = ((rps / base) * 100).toFixed(1);
        process.stdout.write(
          `| ${scenario} | ${target} | ${rps.toFixed(0)} | ${p99.toFixed(2)} | ${ratio} % | ${us.toFixed(0)} |\n`,
        );
      }
    }
  } finally {
    await Promise.all([stop(quiet), stop(logging), stop(fastify), stop(relay), stop(records)]);
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
