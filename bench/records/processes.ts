import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as net from 'node:net';
import * as path from 'node:path';

/** The repository root, seen from dist/bench/records/. */
export const ROOT = path.resolve(__dirname, '..', '..', '..');

export const ADMIN = { email: 'admin@example.com', password: 'bench-admin-pw-1234' };

export interface Server {
  name: string;
  port: number;
  child: ChildProcess;
  /** Output kept for the crash report. */
  log: string[];
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

function healthStatus(port: number): Promise<number> {
  return new Promise((resolve) => {
    const req = http.get({ host: '127.0.0.1', port, path: '/api/health', agent: false }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.setTimeout(1000, () => req.destroy());
    req.on('error', () => resolve(0));
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function start(name: string, port: number, args: string[], env: NodeJS.ProcessEnv): Server {
  const child = spawn(process.execPath, args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  const log: string[] = [];
  const keep = (chunk: Buffer) => {
    log.push(chunk.toString('utf8'));
    if (log.length > 200) {
      log.shift();
    }
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  return { name, port, child, log };
}

/** Polls `/api/health` every 10 ms; resolves with the ms from `sinceNs` to the first 200. */
export async function waitHealthy(server: Server, sinceNs: bigint, timeoutMs = 60_000): Promise<number> {
  const limit = Date.now() + timeoutMs;
  while (Date.now() < limit) {
    if (server.child.exitCode !== null) {
      throw new Error(`${server.name} exited with ${server.child.exitCode}:\n${server.log.join('')}`);
    }
    if ((await healthStatus(server.port)) === 200) {
      return Number(process.hrtime.bigint() - sinceNs) / 1e6;
    }
    await sleep(10);
  }
  throw new Error(`${server.name} not healthy after ${timeoutMs} ms:\n${server.log.join('')}`);
}

/**
 * Starts `nestbase serve` and waits for health; returns the server and its start→healthy time. `databaseUrl`:
 * on that PostgreSQL database (DATABASE_URL) instead of `<dir>/data.db`; `env`: its environment (PB_ADMIN_* added).
 */
export async function startNestbase(
  dir: string,
  databaseUrl?: string,
  env: NodeJS.ProcessEnv = process.env,
  name = 'nestbase',
  root = ROOT,
): Promise<{ server: Server; startMs: number }> {
  const port = await freePort();
  const t0 = process.hrtime.bigint();
  const server = start(
    name,
    port,
    [
      ...cpuProfileFlags(name),
      path.join(root, 'bin', 'nestbase.js'),
      'serve',
      '--http',
      `127.0.0.1:${port}`,
      '--dir',
      dir,
    ],
    {
      ...env,
      PB_ADMIN_EMAIL: ADMIN.email,
      PB_ADMIN_PASSWORD: ADMIN.password,
      ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
    },
  );
  const startMs = await waitHealthy(server, t0);
  return { server, startMs };
}

let profiles = 0;

/**
 * BENCH_CPU_PROF=<dir>: a V8 CPU profile of each nestbase run, written there when it stops, named after the
 * target and numbered in start order (`03-nestbase(tracing).cpuprofile`).
 */
function cpuProfileFlags(name: string): string[] {
  const dir = process.env.BENCH_CPU_PROF;
  if (!dir) {
    return [];
  }
  profiles++;
  const file = `${String(profiles).padStart(2, '0')}-${name.replace(/[^\w().@-]/g, '_')}.cpuprofile`;
  return ['--cpu-prof', '--cpu-prof-dir', dir, '--cpu-prof-name', file];
}

export async function startBaseline(dbFile: string, driver: string): Promise<Server> {
  const port = await freePort();
  const t0 = process.hrtime.bigint();
  const script = path.join(__dirname, 'baseline-server.js');
  const server = start(`baseline(${driver})`, port, [script, String(port), dbFile, driver], process.env);
  await waitHealthy(server, t0);
  return server;
}

/** SIGTERM, then SIGKILL after 10 s; resolves once the process is gone. */
export function stop(server: Server): Promise<void> {
  const child = server.child;
  if (child.exitCode !== null || child.signalCode !== null) {
    return Promise.resolve();
  }
  return new Promise((resolve) => {
    const kill = setTimeout(() => child.kill('SIGKILL'), 10_000);
    child.once('exit', () => {
      clearTimeout(kill);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

/** Resident set size in MB from /proc/<pid>/status (VmRSS), or null where /proc is missing. */
export function rssMb(server: Server): number | null {
  try {
    const status = fs.readFileSync(`/proc/${server.child.pid}/status`, 'utf8');
    const kb = /VmRSS:\s+(\d+)\s+kB/.exec(status);
    return kb ? Number(kb[1]) / 1024 : null;
  } catch {
    return null;
  }
}

let clockTicks: number | undefined;

/** CPU time (user + system, all threads) a server has used so far, in ms; null where /proc is missing. */
export function cpuMs(server: Server): number | null {
  try {
    clockTicks ??= Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    const stat = fs.readFileSync(`/proc/${server.child.pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / clockTicks;
  } catch {
    return null;
  }
}
