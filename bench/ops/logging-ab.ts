import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { call, runLoad } from '../records/load';
import { ADMIN, freePort, ROOT, start, stop, waitHealthy, type Server } from '../records/processes';
import { requestsFor } from '../records/scenarios';
import { seed } from '../records/seed';

/**
 * The request log's cost on throughput, A/B on one machine: the same seeded data served twice, list and view
 * alternated for `BENCH_ROUNDS` rounds of `BENCH_SECONDS` each; the medians are compared. Side A is this build
 * with the request log turned off through the settings API (`logs.maxDays: 0`, as in PocketBase) — or, when
 * `BENCH_BASE_ROOT` names a built checkout of a commit before the request log existed, that build.
 * Run: npm run build:server && node -r ./scripts/paths.js dist/bench/ops/logging-ab.js
 */
const seconds = Number(process.env.BENCH_SECONDS ?? 3);
const rounds = Number(process.env.BENCH_ROUNDS ?? 5);
const baseRoot = process.env.BENCH_BASE_ROOT ?? '';
const log = (line: string) => process.stdout.write(`${line}\n`);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function serve(name: string, root: string, dir: string): Promise<Server> {
  const port = await freePort();
  const t0 = process.hrtime.bigint();
  const args = [path.join(root, 'bin', 'nestbase.js'), 'serve', '--http', `127.0.0.1:${port}`, '--dir', dir];
  const env = { ...process.env, PB_ADMIN_EMAIL: ADMIN.email, PB_ADMIN_PASSWORD: ADMIN.password };
  const server = start(name, port, args, env);
  await waitHealthy(server, t0, 60_000);
  return server;
}

/** `logs.maxDays: 0` through the settings API: the same build, its request log off. */
async function turnLogsOff(port: number): Promise<void> {
  const json = { 'content-type': 'application/json' };
  const admin = await call<{ token: string }>(port, {
    method: 'POST',
    path: '/api/collections/_superusers/auth-with-password',
    body: { identity: ADMIN.email, password: ADMIN.password },
    headers: json,
  });
  const settings = await call<{ logs: { maxDays: number } }>(port, {
    method: 'PATCH',
    path: '/api/settings',
    body: { logs: { maxDays: 0 } },
    headers: { ...json, authorization: admin.token },
  });
  if (settings.logs.maxDays !== 0) {
    throw new Error('the settings API did not turn the request log off');
  }
}

async function main(): Promise<void> {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'nestbase-logab-'));
  const servers: Server[] = [];
  try {
    const dirA = path.join(tmp, 'base');
    const data = await seed(dirA, 10_000, false);
    const dirB = path.join(tmp, 'ops');
    fs.cpSync(dirA, dirB, { recursive: true });
    servers.push(await serve('without logs', baseRoot || ROOT, dirA), await serve('with logs', ROOT, dirB));
    if (!baseRoot) {
      await turnLogsOff(servers[0].port);
    }
    for (const scenario of ['list', 'view'] as const) {
      const rps = new Map<string, number[]>();
      for (let round = 0; round < rounds; round++) {
        const order = round % 2 === 0 ? servers : [...servers].reverse();
        for (const server of order) {
          const next = requestsFor(scenario, data);
          await runLoad({ port: server.port, concurrency: 16, maxRequests: 500_000, next, durationMs: 500 });
          const r = await runLoad({
            port: server.port,
            concurrency: 16,
            maxRequests: 500_000,
            next,
            durationMs: seconds * 1000,
          });
          rps.set(server.name, [...(rps.get(server.name) ?? []), r.rps]);
        }
      }
      const [a, b] = servers.map((s) => median(rps.get(s.name) ?? [0]));
      log(
        `${scenario.padEnd(5)} without logs ${a.toFixed(0)} req/s, with logs ${b.toFixed(0)} req/s: ${(((b - a) / a) * 100).toFixed(1)}% (runs ${servers
          .map((s) =>
            rps
              .get(s.name)
              ?.map((x) => x.toFixed(0))
              .join('/'),
          )
          .join(' vs ')})`,
      );
    }
  } finally {
    await Promise.all(servers.map((s) => stop(s)));
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${String(error)}\n`);
  process.exit(1);
});
