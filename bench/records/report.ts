import * as fs from 'node:fs';
import * as path from 'node:path';
import type { LoadResult } from './load';
import type { ObservabilityVariant } from './observability';

export type Scenario = 'list' | 'list-skip' | 'view' | 'create' | 'refresh';
export const SCENARIOS: Scenario[] = ['list', 'list-skip', 'view', 'refresh', 'create'];
export type Target =
  | 'nestbase'
  | 'before'
  | `nestbase(${ObservabilityVariant})`
  | `before(${ObservabilityVariant})`
  | 'baseline(better-sqlite3)'
  | 'baseline(sqlite3)'
  | 'baseline(pg)';

/** The baseline ratios are taken against: better-sqlite3 on SQLite, node-postgres on PostgreSQL. */
function mainBaseline(results: Results): 'baseline(better-sqlite3)' | 'baseline(pg)' {
  return results.database === 'postgres' ? 'baseline(pg)' : 'baseline(better-sqlite3)';
}

/** Parse Server on the same workload with its own PostgreSQL (issue 19): nestbase's target is 3× it. */
const PARSE_RPS: Partial<Record<Scenario, number>> = { create: 610, list: 273, view: 1017 };
const PARSE_FACTOR = 3;

/** Issue 16's targets on its 2-core machine, in req/s of nestbase (50 connections, load generator beside it). */
export const RPS_TARGETS: Record<Scenario, number> = {
  list: 3000,
  'list-skip': 4000,
  view: 10_000,
  refresh: 6000,
  create: 4000,
};
export const RSS_TARGET_MB = 100;
export const PEAK_RSS_TARGET_MB = 200;
export const START_TARGET_MS = 1500;

/** A load run plus the server's CPU time over it (from /proc/<pid>/stat, all threads). */
export interface RunResult extends LoadResult {
  serverCpuPct: number | null;
  serverCpuUsPerReq: number | null;
}

export interface Results {
  startedAt: string;
  /** BENCH_DB: nestbase and the baseline on SQLite files or on one throwaway PostgreSQL. */
  database: 'sqlite' | 'postgres';
  settings: {
    seconds: number;
    warmupSeconds: number;
    concurrency: number;
    rows: number;
    rounds: number;
    index: boolean;
  };
  machine: { cpus: number; node: string; platform: string };
  startup: { runsMs: number[]; medianMs: number };
  rss: { idleAfterStartMb: number | null; afterLoadMb: number | null; peakMb: number | null };
  scenarios: Record<Scenario, Partial<Record<Target, RunResult>>>;
  notes: string[];
}

const pad = (s: string, n: number) => s.padEnd(n);
const num = (v: number, digits = 0) => v.toFixed(digits).padStart(8);
const opt = (v: number | null) => (v === null ? 'n/a' : v.toFixed(0));

function verdict(ok: boolean): string {
  return ok ? 'ok' : 'MISSED';
}

export function ratio(results: Results, scenario: Scenario): number | null {
  const nb = results.scenarios[scenario].nestbase;
  const base = results.scenarios[scenario][mainBaseline(results)];
  return nb && base && base.rps > 0 ? nb.rps / base.rps : null;
}

/**
 * BENCH_OBSERVABILITY's targets of one build (`nestbase`, or `before`: BENCH_COMPARE's): server CPU µs/request
 * of each, its ratio to the baseline's, and the change against that build's `(off)` (null when it had none).
 */
function observabilityLine(
  runs: Partial<Record<Target, RunResult>>,
  base: RunResult | undefined,
  build: 'nestbase' | 'before',
): string | null {
  const off = runs[`${build}(off)`]?.serverCpuUsPerReq;
  if (!off) {
    return null;
  }
  const parts: string[] = [];
  for (const [target, r] of Object.entries(runs)) {
    const us = r.serverCpuUsPerReq;
    const variant = new RegExp(`^${build}\\((\\w+)\\)$`).exec(target)?.[1];
    if (!variant || !us) {
      continue;
    }
    const toBase = base?.serverCpuUsPerReq ? ` = ${(us / base.serverCpuUsPerReq).toFixed(2)}x base` : '';
    const change = variant === 'off' ? '' : `, ${us >= off ? '+' : ''}${(((us - off) / off) * 100).toFixed(1)} %`;
    parts.push(`${variant} ${us.toFixed(0)} µs${toBase}${change}`);
  }
  return `${build === 'before' ? 'BENCH_COMPARE build' : 'observability'}, server CPU/request: ${parts.join(' · ')}`;
}

/** The human-readable summary printed at the end of a run. */
export function formatReport(results: Results): string {
  const s = results.settings;
  const lines: string[] = [
    '',
    `records benchmark on ${results.database} — ${s.rows} rows, concurrency ${s.concurrency}, ${s.seconds}s per run after ${s.warmupSeconds}s warm-up, ` +
      `${s.rounds} round(s), owner/completed/created index added: ${s.index ? 'yes' : 'no'}`,
    `machine: ${results.machine.cpus} cpus, node ${results.machine.node}`,
    '',
    `${pad('scenario', 9)}${pad('target', 27)}${'req/s'.padStart(8)}${'p50 ms'.padStart(8)}${'p99 ms'.padStart(8)}` +
      `${'errors'.padStart(8)}${'srv cpu%'.padStart(10)}${'srv us/req'.padStart(11)}${'load cpu%'.padStart(10)}`,
  ];
  for (const scenario of Object.keys(results.scenarios) as Scenario[]) {
    if (Object.keys(results.scenarios[scenario]).length === 0) {
      continue;
    }
    for (const [target, r] of Object.entries(results.scenarios[scenario])) {
      lines.push(
        `${pad(scenario, 9)}${pad(target, 27)}${num(r.rps)}${num(r.p50Ms, 2)}${num(r.p99Ms, 2)}${String(r.errors).padStart(8)}` +
          `${opt(r.serverCpuPct).padStart(10)}${opt(r.serverCpuUsPerReq).padStart(11)}${r.clientCpuPct.toFixed(0).padStart(10)}`,
      );
    }
    const rt = ratio(results, scenario);
    const goal = RPS_TARGETS[scenario];
    const nb = results.scenarios[scenario].nestbase;
    const baseName = mainBaseline(results);
    const base = results.scenarios[scenario][baseName];
    const p99 = nb && base && base.p99Ms > 0 ? ` (p99 ${(nb.p99Ms / base.p99Ms).toFixed(2)}x)` : '';
    const cpu =
      nb?.serverCpuUsPerReq && base?.serverCpuUsPerReq
        ? `${pad('', 9)}server CPU per request: nestbase ${(nb.serverCpuUsPerReq / base.serverCpuUsPerReq).toFixed(1)}x ` +
          `${baseName} (= ${((base.serverCpuUsPerReq / nb.serverCpuUsPerReq) * 100).toFixed(1)}% efficiency)`
        : null;
    lines.push(
      rt === null
        ? `${pad('', 9)}ratio: n/a`
        : `${pad('', 9)}ratio nestbase / ${baseName}: ${(rt * 100).toFixed(1)}% of req/s${p99}` +
            (results.database === 'sqlite'
              ? ` — nestbase target >= ${goal} req/s: ${verdict((nb?.rps ?? 0) >= goal)}`
              : ''),
    );
    const parse = PARSE_RPS[scenario];
    if (results.database === 'postgres' && parse && nb) {
      lines.push(
        `${pad('', 9)}vs Parse Server (${parse} req/s): ${(nb.rps / parse).toFixed(1)}x — target >= ${PARSE_FACTOR}x: ` +
          verdict(nb.rps >= parse * PARSE_FACTOR),
      );
    }
    if (cpu) {
      lines.push(cpu);
    }
    const before = results.scenarios[scenario].before;
    if (before && base && nb) {
      const us = (r: RunResult) => (r.serverCpuUsPerReq === null ? 'n/a' : `${r.serverCpuUsPerReq.toFixed(0)} µs`);
      lines.push(
        `${pad('', 9)}before (BENCH_BEFORE): ${((before.rps / base.rps) * 100).toFixed(1)}% of req/s, ${us(before)} ` +
          `vs nestbase ${us(nb)} server CPU per request`,
      );
    }
    for (const build of ['nestbase', 'before'] as const) {
      const observed = observabilityLine(results.scenarios[scenario], base, build);
      if (observed) {
        lines.push(`${pad('', 9)}${observed}`);
      }
    }
    const b3 = base?.rps;
    const s3 = results.scenarios[scenario]['baseline(sqlite3)']?.rps;
    if (b3 && s3) {
      lines.push(`${pad('', 9)}raw drivers: sqlite3 / better-sqlite3 = ${(s3 / b3).toFixed(2)}x req/s`);
    }
    lines.push('');
  }
  const rss = results.rss;
  const mb = (v: number | null) => (v === null ? 'n/a' : `${v.toFixed(1)} MB`);
  lines.push(
    `nestbase RSS idle after start: ${mb(rss.idleAfterStartMb)} — target <= ${RSS_TARGET_MB} MB: ` +
      `${rss.idleAfterStartMb === null ? 'n/a' : verdict(rss.idleAfterStartMb <= RSS_TARGET_MB)}`,
    `nestbase RSS after the load:   ${mb(rss.afterLoadMb)}`,
    `nestbase RSS peak under load:  ${mb(rss.peakMb)} — target <= ${PEAK_RSS_TARGET_MB} MB: ` +
      `${rss.peakMb === null ? 'n/a' : verdict(rss.peakMb <= PEAK_RSS_TARGET_MB)}`,
    `nestbase start -> healthy /api/health: median ${results.startup.medianMs.toFixed(0)} ms of ` +
      `[${results.startup.runsMs.map((v) => v.toFixed(0)).join(', ')}] — target < ${START_TARGET_MS} ms: ` +
      verdict(results.startup.medianMs < START_TARGET_MS),
  );
  for (const note of results.notes) {
    lines.push(`note: ${note}`);
  }
  return `${lines.join('\n')}\n`;
}

/** Writes the results to `bench/results/records-<timestamp>.json` and returns the path. */
export function writeResults(root: string, results: Results): string {
  const dir = path.join(root, 'bench', 'results');
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `records-${results.startedAt.replace(/[:.]/g, '-')}.json`);
  fs.writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
  return file;
}
