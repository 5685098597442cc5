import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as bcrypt from 'bcrypt';
import { call, runLoad, type LoadResult } from '../records/load';
import { ADMIN, ROOT, startNestbase, stop } from '../records/processes';

/**
 * `npm run bench:auth`: auth-with-password requests/s at the default bcrypt cost (10) next to the
 * most bcrypt compares/s this machine does (measured in the same run, same concurrency), and
 * auth-refresh requests/s. Overhead = 1 − logins/s ÷ compares/s; the target is under 10 %.
 * Env: BENCH_SECONDS (5), BENCH_WARMUP_SECONDS (1), BENCH_CONCURRENCY (16), BENCH_KEEP (keep the dir).
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
  seconds: envNumber('BENCH_SECONDS', 5, 0.5),
  warmupSeconds: envNumber('BENCH_WARMUP_SECONDS', 1, 0),
  concurrency: Math.trunc(envNumber('BENCH_CONCURRENCY', 16, 1)),
};
const COST = 10;
const PASSWORD = 'Bench-Passw0rd-123';
const MAX_REQUESTS = 500_000;

const log = (line: string) => process.stdout.write(`${line}\n`);

/** Async bcrypt.compare with `concurrency` in flight for `seconds` (the libuv pool, like the server). */
async function comparesPerSecond(hash: string, seconds: number, concurrency: number): Promise<number> {
  const deadline = Date.now() + seconds * 1000;
  let done = 0;
  const started = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (Date.now() < deadline) {
        if (!(await bcrypt.compare(PASSWORD, hash))) {
          throw new Error('bcrypt.compare said no');
        }
        done++;
      }
    }),
  );
  return done / (Number(process.hrtime.bigint() - started) / 1e9);
}

/** One compare on this thread, in ms (median of a 1 s loop). */
function syncCompareMs(hash: string): number {
  const times: number[] = [];
  const deadline = Date.now() + 1000;
  while (Date.now() < deadline) {
    const t0 = process.hrtime.bigint();
    bcrypt.compareSync(PASSWORD, hash);
    times.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  return times.sort((a, b) => a - b)[Math.floor(times.length / 2)];
}

async function load(port: number, next: Parameters<typeof runLoad>[0]['next']): Promise<LoadResult> {
  const base = { port, concurrency: settings.concurrency, maxRequests: MAX_REQUESTS, next };
  if (settings.warmupSeconds > 0) {
    await runLoad({ ...base, durationMs: settings.warmupSeconds * 1000 });
  }
  const result = await runLoad({ ...base, durationMs: settings.seconds * 1000 });
  if (result.errors > 0) {
    throw new Error(`${result.errors} failed requests; first: ${result.firstError}`);
  }
  return result;
}

const fmt = (r: LoadResult) =>
  `${r.rps.toFixed(1)} req/s (p50 ${r.p50Ms.toFixed(1)} ms, p99 ${r.p99Ms.toFixed(1)} ms, client CPU ${r.clientCpuPct.toFixed(0)} %)`;

async function main(): Promise<void> {
  process.env.NB_BCRYPT_COST = String(COST);
  process.env.NB_LOG_LEVEL = 'error';
  delete process.env.REDIS_URL;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nestbase-bench-auth-'));
  log(`auth bench: ${os.cpus().length} CPUs, concurrency ${settings.concurrency}, ${settings.seconds} s per run`);
  const { server } = await startNestbase(dir);
  try {
    const port = server.port;
    const su = await call<{ token: string }>(port, {
      method: 'POST',
      path: '/api/collections/_superusers/auth-with-password',
      body: { identity: ADMIN.email, password: ADMIN.password },
    });
    const email = 'bench-user@example.com';
    await call(port, {
      method: 'POST',
      path: '/api/collections/users/records',
      headers: { authorization: su.token },
      body: { email, password: PASSWORD, passwordConfirm: PASSWORD },
    });
    const login = { method: 'POST' as const, path: '/api/collections/users/auth-with-password' };
    const { token } = await call<{ token: string }>(port, { ...login, body: { identity: email, password: PASSWORD } });

    const hash = bcrypt.hashSync(PASSWORD, COST);
    const oneCompareMs = syncCompareMs(hash);
    const compares = await comparesPerSecond(hash, settings.seconds, settings.concurrency);
    log(`bcrypt cost ${COST}: one compare ${oneCompareMs.toFixed(1)} ms; at most ${compares.toFixed(1)} compares/s`);

    const logins = await load(port, () => ({ ...login, body: { identity: email, password: PASSWORD } }));
    log(`auth-with-password: ${fmt(logins)}`);
    const refresh = await load(port, () => ({
      method: 'POST',
      path: '/api/collections/users/auth-refresh',
      headers: { authorization: token },
    }));
    log(`auth-refresh:       ${fmt(refresh)}`);
    const overhead = (1 - logins.rps / compares) * 100;
    log(`overhead beyond bcrypt: ${overhead.toFixed(1)} % (target < 10 %) — ${overhead < 10 ? 'OK' : 'OVER'}`);

    const out = path.join(ROOT, 'bench', 'results', `auth-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
    fs.mkdirSync(path.dirname(out), { recursive: true });
    const results = { settings, cpus: os.cpus().length, cost: COST, oneCompareMs, compares, logins, refresh, overhead };
    fs.writeFileSync(out, `${JSON.stringify(results, null, 2)}\n`);
    log(`results: ${path.relative(ROOT, out)}`);
  } finally {
    await stop(server);
    if (process.env.BENCH_KEEP !== '1') {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
