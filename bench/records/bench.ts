import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runLoad } from './load';
import { cpuMs, ROOT, rssMb, startBaseline, startNestbase, stop, type Server } from './processes';
import {
  formatReport,
  SCENARIOS,
  writeResults,
  type Results,
  type RunResult,
  type Scenario,
  type Target,
} from './report';
import { compareAnswers, requestsFor } from './scenarios';
import { copyDatabase, seed } from './seed';
import { sqlite3Installed, type DriverName } from './baseline-db';
import { copyPostgresDatabase, startBenchPostgres } from './postgres';
import {
  dropStdout,
  observabilityVariants,
  scraped,
  scrapeWhile,
  startTraceSink,
  variantEnv,
  type ObservabilityVariant,
} from './observability';

/**
 * `npm run bench:records`: nestbase against a raw Fastify + SQLite baseline (better-sqlite3 and
 * node-sqlite3) on issue 16's scenario: a `todos` collection with owner-only rules, `BENCH_ROWS` todos of the
 * listing user (half completed); list `perPage=30&sort=-created&filter=completed=false` with totals and with
 * skipTotal=1, view by id, auth-refresh, create; plus idle / peak RSS and start time.
 * Env: BENCH_SECONDS (10), BENCH_WARMUP_SECONDS (1), BENCH_CONCURRENCY (50), BENCH_ROWS (10000),
 * BENCH_ROUNDS (1; >1 alternates targets and keeps the median run), BENCH_INDEX (0; 1 adds an
 * (owner, completed, created) index to the collection), BENCH_SCENARIOS (all; a comma list picks some),
 * BENCH_KEEP (keep the temp dir), BENCH_CPU_PROF (a directory: CPU profiles of the nestbase server), BENCH_DB
 * (sqlite; `postgres`: nestbase and a node-postgres baseline on one throwaway PostgreSQL, and nestbase against
 * Parse Server's figures, see postgres.ts), BENCH_OBSERVABILITY (none; a comma list of logs, metrics, tracing,
 * all: one more nestbase on the same data per name with only that part on, plus `nestbase(off)` with logs,
 * metrics and tracing off — see observability.ts; the report gives each one's CPU µs/request against off and the
 * baseline), BENCH_SCRAPE_MS (1000: how often the `metrics` ones are scraped while loaded), BENCH_COMPARE (a
 * directory holding another built checkout, e.g. the branch point: each BENCH_OBSERVABILITY process is started
 * from it too, as `before(<part>)`, so a change's cost is read off in the same run), BENCH_BEFORE (a directory
 * holding another built checkout: one more target, `before`, started from it as `nestbase` is, for an A/B of a
 * change in the same run; its peak RSS is in the notes).
 */

function envNumber(name: string, fallback: number, min: number): number {
  const raw = process.env[name];
  const n = raw === undefined || raw === '' ? fallback : Number(raw);
  if (!Number.isFinite(n) || n < min) {
    throw new Error(`${name} must be a number >= ${min}, got "${raw}"`);
  }
  return n;
}

const settings = {
  seconds: envNumber('BENCH_SECONDS', 10, 0.5),
  warmupSeconds: envNumber('BENCH_WARMUP_SECONDS', 1, 0),
  concurrency: Math.trunc(envNumber('BENCH_CONCURRENCY', 50, 1)),
  rows: Math.trunc(envNumber('BENCH_ROWS', 10_000, 100)),
  rounds: Math.trunc(envNumber('BENCH_ROUNDS', 1, 1)),
  index: process.env.BENCH_INDEX === '1',
};
const scenarios = (process.env.BENCH_SCENARIOS ?? '').trim()
  ? SCENARIOS.filter((s) => (process.env.BENCH_SCENARIOS ?? '').split(',').includes(s))
  : SCENARIOS;
const database = process.env.BENCH_DB === 'postgres' ? 'postgres' : 'sqlite';
const variants = observabilityVariants(process.env.BENCH_OBSERVABILITY);
const scrapeMs = envNumber('BENCH_SCRAPE_MS', 1000, 10);
const compareRoot = process.env.BENCH_COMPARE ? path.resolve(process.env.BENCH_COMPARE) : undefined;
const beforeRoot = process.env.BENCH_BEFORE ? path.resolve(process.env.BENCH_BEFORE) : undefined;
/** The nestbase processes started for BENCH_OBSERVABILITY whose `/metrics` is scraped under load. */
const scrapedServers = new Set<Server>();
const scrapes = new Map<Server, number>();
const MAX_REQUESTS = 500_000;
const STARTS = 3;

const log = (line: string) => process.stdout.write(`${line}\n`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function measureStartup(dir: string, databaseUrl?: string): Promise<{ server: Server; runsMs: number[] }> {
  const runsMs: number[] = [];
  for (let i = 0; i < STARTS; i++) {
    const { server, startMs } = await startNestbase(dir, databaseUrl);
    runsMs.push(startMs);
    log(`  start ${i + 1}/${STARTS}: healthy after ${startMs.toFixed(0)} ms`);
    if (i === STARTS - 1) {
      return { server, runsMs };
    }
    await stop(server);
  }
  throw new Error('unreachable');
}

/** The highest RSS of the server seen while `work` runs (sampled every 100 ms). */
async function peakRss<T>(server: Server, work: Promise<T>): Promise<{ value: T; peakMb: number | null }> {
  let peakMb: number | null = rssMb(server);
  const timer = setInterval(() => {
    const mb = rssMb(server);
    if (mb !== null && (peakMb === null || mb > peakMb)) {
      peakMb = mb;
    }
  }, 100);
  try {
    return { value: await work, peakMb };
  } finally {
    clearInterval(timer);
  }
}

/** A nestbase process on the seeded data with only `variant`'s part of observability on (see observability.ts). */
async function startVariant(
  variant: ObservabilityVariant,
  dir: string,
  otlpUrl: string,
  databaseUrl: string | undefined,
  root?: string,
): Promise<Server> {
  const name = `${root ? 'before' : 'nestbase'}(${variant})`;
  // each sends its spans under its own path, so the sink counts them apart
  const env = variantEnv(variant, otlpUrl ? `${otlpUrl}/${encodeURIComponent(name)}` : '');
  const { server } = await startNestbase(dir, databaseUrl, env, name, root);
  dropStdout(server);
  if (scraped(variant)) {
    scrapedServers.add(server);
  }
  return server;
}

async function measure(server: Server, scenario: Scenario, next: ReturnType<typeof requestsFor>): Promise<RunResult> {
  const base = { port: server.port, concurrency: settings.concurrency, maxRequests: MAX_REQUESTS, next };
  if (settings.warmupSeconds > 0) {
    await runLoad({ ...base, durationMs: settings.warmupSeconds * 1000 });
  }
  const stopScraping = scrapedServers.has(server) ? scrapeWhile(server.port, scrapeMs) : undefined;
  const cpu0 = cpuMs(server);
  const load = await runLoad({ ...base, durationMs: settings.seconds * 1000 });
  const cpu1 = cpuMs(server);
  if (stopScraping) {
    scrapes.set(server, (scrapes.get(server) ?? 0) + stopScraping());
  }
  const cpu = cpu0 === null || cpu1 === null ? null : cpu1 - cpu0;
  const r: RunResult = {
    ...load,
    serverCpuPct: cpu === null ? null : (cpu / load.elapsedMs) * 100,
    serverCpuUsPerReq: cpu === null || load.requests === 0 ? null : (cpu * 1000) / load.requests,
  };
  if (server.child.exitCode !== null) {
    throw new Error(`${server.name} crashed during ${scenario}:\n${server.log.join('')}`);
  }
  log(
    `  ${scenario.padEnd(7)}${server.name.padEnd(27)}${r.rps.toFixed(0).padStart(7)} req/s  p50 ${r.p50Ms.toFixed(2)} ms  ` +
      `p99 ${r.p99Ms.toFixed(2)} ms  server cpu ${r.serverCpuPct?.toFixed(0) ?? 'n/a'}%  load cpu ${r.clientCpuPct.toFixed(0)}%` +
      `${r.errors ? `  ${r.errors} errors, first: ${r.firstError}` : ''}`,
  );
  return r;
}

async function main(): Promise<void> {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'nestbase-bench-'));
  const servers: Server[] = [];
  const postgres = database === 'postgres' ? await startBenchPostgres() : null;
  const sink = variants.some((v) => v === 'tracing' || v === 'all') ? await startTraceSink() : null;
  const results: Results = {
    startedAt: new Date().toISOString(),
    database,
    settings,
    machine: { cpus: os.cpus().length, node: process.version, platform: `${os.platform()} ${os.release()}` },
    startup: { runsMs: [], medianMs: 0 },
    rss: { idleAfterStartMb: null, afterLoadMb: null, peakMb: null },
    scenarios: { list: {}, 'list-skip': {}, view: {}, refresh: {}, create: {} },
    notes: [],
  };
  try {
    log(`seeding ${settings.rows} todos in ${postgres ? postgres.url : tmp} ...`);
    const nbDir = path.join(tmp, 'nestbase');
    const data = await seed(nbDir, settings.rows, settings.index, postgres?.url);
    const files: Record<DriverName, string> = postgres
      ? { 'better-sqlite3': '', sqlite3: '', pg: await copyPostgresDatabase(postgres.url, 'nestbase_baseline') }
      : {
          'better-sqlite3': copyDatabase(nbDir, path.join(tmp, 'baseline-better-sqlite3')),
          sqlite3: copyDatabase(nbDir, path.join(tmp, 'baseline-sqlite3')),
          pg: '',
        };

    log('starting nestbase (start -> healthy, median of 3) ...');
    const { server: nestbase, runsMs } = await measureStartup(nbDir, postgres?.url);
    servers.push(nestbase);
    results.startup = { runsMs, medianMs: median(runsMs) };
    await sleep(1000);
    results.rss.idleAfterStartMb = rssMb(nestbase);

    const targets: [Target, Server][] = [['nestbase', nestbase]];
    const sqliteDrivers: DriverName[] = sqlite3Installed() ? ['better-sqlite3', 'sqlite3'] : ['better-sqlite3'];
    const drivers: DriverName[] = postgres ? ['pg'] : sqliteDrivers;
    if (!postgres && drivers.length === 1) {
      log('  (node-sqlite3 not installed: `npm install --no-save sqlite3` adds its baseline)');
    }
    for (const driver of drivers) {
      const server = await startBaseline(files[driver], driver);
      servers.push(server);
      targets.push([`baseline(${driver})`, server]);
    }
    if (beforeRoot) {
      const { server } = await startNestbase(nbDir, postgres?.url, process.env, 'before', beforeRoot);
      servers.push(server);
      targets.push(['before', server]);
    }
    for (const variant of variants) {
      const server = await startVariant(variant, nbDir, sink?.url ?? '', postgres?.url);
      servers.push(server);
      targets.push([`nestbase(${variant})`, server]);
      if (compareRoot) {
        const before = await startVariant(variant, nbDir, sink?.url ?? '', postgres?.url, compareRoot);
        servers.push(before);
        targets.push([`before(${variant})`, before]);
      }
    }
    const problems = await compareAnswers(nestbase.port, targets[1][1].port, data);
    results.notes.push(...problems.map((p) => `answers differ: ${p}`));
    problems.forEach((p) => log(`  WARNING: ${p}`));

    log('load ...');
    const peaks = new Map<Target, number>();
    for (const scenario of scenarios) {
      const runs = new Map<Target, RunResult[]>();
      for (let round = 0; round < settings.rounds; round++) {
        const order = round % 2 === 0 ? targets : [...targets].reverse();
        for (const [target, server] of order) {
          const { value: r, peakMb } = await peakRss(server, measure(server, scenario, requestsFor(scenario, data)));
          if (peakMb !== null) {
            peaks.set(target, Math.max(peaks.get(target) ?? 0, peakMb));
          }
          runs.set(target, [...(runs.get(target) ?? []), r]);
        }
      }
      for (const [target, rs] of runs) {
        results.scenarios[scenario][target] = [...rs].sort((a, b) => a.rps - b.rps)[Math.floor(rs.length / 2)];
        const errors = rs.reduce((n, r) => n + r.errors, 0);
        if (errors > 0) {
          results.notes.push(
            `${scenario} on ${target}: ${errors} errors, first: ${rs.find((r) => r.firstError)?.firstError}`,
          );
        }
      }
    }
    results.rss.peakMb = peaks.get('nestbase') ?? null;
    const beforePeak = peaks.get('before');
    if (beforePeak !== undefined) {
      results.notes.push(`before: RSS peak under load ${beforePeak.toFixed(1)} MB`);
    }
    await sleep(1000);
    results.rss.afterLoadMb = rssMb(nestbase);
    for (const [target, server] of targets) {
      if (server.child.exitCode !== null || server.child.signalCode !== null) {
        const how = server.child.exitCode ?? server.child.signalCode;
        results.notes.push(`${target} exited (${how}) after the load: ${server.log.join('').slice(-1500)}`);
      }
    }
    for (const [server, count] of scrapes) {
      results.notes.push(`${server.name}: /metrics scraped ${count} times (every ${scrapeMs} ms under load)`);
    }
    if (sink) {
      results.notes.push(`trace receiver: ${(sink.bytes() / 1e6).toFixed(1)} MB of OTLP JSON received and dropped`);
      for (const [sender, count] of sink.counts()) {
        results.notes.push(`trace receiver: ${sender}: ${count.spans} spans, ${(count.bytes / 1e6).toFixed(1)} MB`);
      }
    }
  } finally {
    await Promise.all(servers.map((s) => stop(s)));
    await postgres?.stop();
    await sink?.close();
    if (process.env.BENCH_KEEP !== '1') {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  }
  process.stdout.write(formatReport(results));
  log(`results written to ${path.relative(ROOT, writeResults(ROOT, results))}`);
}

main().catch((error: unknown) => {
  process.stderr.write(
    `bench:records failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
});
