// The gateway's cost: the same requests straight to a nestbase server (the baseline, measured in the same
// run) and through `nestbase gateway` in front of it: its fast path with logs, metrics and traces off, then with
// each part BENCH_OBSERVABILITY names on (a comma list of logs, metrics, tracing, all; default `logs`: JSON access
// log, stdout read and dropped; `metrics`: scraped every BENCH_SCRAPE_MS, 1000; `tracing`: OTLP/HTTP to a receiver
// that drops the spans — see ../records/observability.ts), its Fastify path (NB_GATEWAY_FAST_PATH=false, all off),
// and a bare TCP relay (relay.ts: the floor of any proxy on Node's sockets).
// Prints req/s, p99, the ratio to direct and the CPU time of the process asked per request (the gateway's own
// cost; the service's for direct) with its ratio to the gateway with everything off, median of the rounds.
// BENCH_SECONDS, BENCH_ROUNDS, BENCH_CONCURRENCY tune it; NB_CPU_PROF_DIR=dir profiles the gateways;
// BENCH_COMPARE=<another built checkout> runs each fast-path gateway from it too (`before: …`), in the same run.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { call, runLoad, type LoadRequest, type LoadResult } from '../records/load';
import {
  dropStdout,
  observabilityVariants,
  scraped,
  scrapeWhile,
  startTraceSink,
  variantEnv,
} from '../records/observability';
import { ADMIN, ROOT, cpuMs, freePort, start, stop, waitHealthy, type Server } from '../records/processes';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 3);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 16);
const BIN = path.join(ROOT, 'bin', 'nestbase.js');
const COMPARE_BIN = process.env.BENCH_COMPARE ? path.resolve(process.env.BENCH_COMPARE, 'bin', 'nestbase.js') : '';
const VARIANTS = observabilityVariants(process.env.BENCH_OBSERVABILITY, 'logs');
const SCRAPE_MS = Number(process.env.BENCH_SCRAPE_MS ?? 1000);

async function service(
  name: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  flags: string[] = [],
  bin = BIN,
): Promise<Server> {
  const port = await freePort();
  const server = start(name, port, [...flags, bin, ...args, '--http', `127.0.0.1:${port}`], {
    ...process.env,
    ...env,
    NB_LOG_LEVEL: 'error',
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
  const sink = VARIANTS.some((v) => v === 'tracing' || v === 'all') ? await startTraceSink() : undefined;
  const gateways: [string, Server][] = [];
  for (const variant of VARIANTS) {
    const env = { ...variantEnv(variant, sink?.url ?? ''), ...upstreams };
    const server = await service('gateway', ['gateway'], env, profile(variant === 'off' ? 'fast' : `fast-${variant}`));
    dropStdout(server);
    gateways.push([variant === 'off' ? 'gateway' : `gateway + ${variant}`, server]);
    if (COMPARE_BIN) {
      const before = await service('gateway', ['gateway'], env, profile(`before-${variant}`), COMPARE_BIN);
      dropStdout(before);
      gateways.push([variant === 'off' ? 'before: gateway' : `before: gateway + ${variant}`, before]);
    }
  }
  const scrapedGateways = new Set(
    gateways.filter(([name]) => VARIANTS.some((v) => scraped(v) && name.endsWith(`+ ${v}`))).map(([, s]) => s),
  );
  const fastify = await service(
    'gateway',
    ['gateway'],
    { ...variantEnv('off', ''), ...upstreams, NB_GATEWAY_FAST_PATH: 'false' },
    profile('fastify'),
  );
  const relayPort = await freePort();
  const relay = start('relay', relayPort, [path.join(__dirname, 'relay.js'), String(relayPort), String(records.port)], {
    ...process.env,
  });
  await waitHealthy(relay, process.hrtime.bigint());
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
      ...gateways,
      ['gateway, Fastify path', fastify],
      ['TCP relay (floor)', relay],
    ];
    const results: Record<string, Record<string, (LoadResult & { gatewayUs: number })[]>> = {};
    for (let round = 0; round < ROUNDS; round++) {
      for (const [scenario, request] of Object.entries(scenarios)) {
        for (const [target, server] of targets) {
          const stopScraping = scrapedGateways.has(server) ? scrapeWhile(server.port, SCRAPE_MS) : undefined;
          const cpuBefore = cpuMs(server) ?? 0;
          const result = await runLoad({
            port: server.port,
            concurrency: CONCURRENCY,
            durationMs: SECONDS * 1000,
            maxRequests: 2_000_000,
            next: () => request,
          });
          stopScraping?.();
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
        '| scenario | target | req/s | p99 ms | ratio to direct | CPU µs/request of the process asked | CPU vs gateway |\n' +
        '|---|---|---|---|---|---|---|\n',
    );
    for (const [scenario, byTarget] of Object.entries(results)) {
      const base = median(byTarget['direct (baseline)'].map((r) => r.rps));
      const offUs = median(byTarget.gateway.map((r) => r.gatewayUs));
      const beforeOffUs = median((byTarget['before: gateway'] ?? byTarget.gateway).map((r) => r.gatewayUs));
      for (const [target, runs] of Object.entries(byTarget)) {
        const rps = median(runs.map((r) => r.rps));
        const p99 = median(runs.map((r) => r.p99Ms));
        const us = median(runs.map((r) => r.gatewayUs));
        const ratio = ((rps / base) * 100).toFixed(1);
        const off = target.startsWith('before: ') ? beforeOffUs : offUs;
        const vsOff = /^(before: )?gateway/.test(target) ? `${(us / off).toFixed(2)}x` : '';
        process.stdout.write(
          `| ${scenario} | ${target} | ${rps.toFixed(0)} | ${p99.toFixed(2)} | ${ratio} % | ${us.toFixed(0)} | ${vsOff} |\n`,
        );
      }
    }
  } finally {
    await Promise.all([...gateways.map(([, server]) => stop(server)), stop(fastify), stop(relay), stop(records)]);
    await sink?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
