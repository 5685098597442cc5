// Starts one nestbase server per test file (fresh data dir, free port), or targets an
// already-running deployment when the NB_TEST_* variables are set. See run-scenarios.ts.
import { ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

import { STARTUP_CEILING_MS, TEST_BCRYPT_COST } from './ceilings';
import { freePort } from './free-port';
import { freshPostgresDatabase } from './postgres-server';
import { tokenFor } from './factories';
import { HttpClient } from './http-client';
import { noClock, TestClock } from './test-clock';

export interface TestTarget {
  baseUrl: string;
  superuserEmail: string;
  superuserPassword: string;
}

export interface RunningServer extends TestTarget {
  /** Stops the process this runner started (a no-op for an external target). */
  stop(): Promise<void>;
  /** When the spawned server died unexpectedly: its exit status and output tail. */
  crashReport(): string | undefined;
  /** Moves the server's clock forward by `ms` (token, OTP and MFA expiry, rate-limit windows): see test-clock.ts. */
  advanceClock(ms: number): Promise<void>;
}

/** A server spawned by `spawnServer`, with what its owner may watch. */
export interface SpawnedServer extends RunningServer {
  pid: number;
  /** Its clock's offset file (NB_TEST_CLOCK_FILE of the process). */
  clockFile: string;
  /** The tail of its output. */
  log(): string;
}

export interface SpawnOptions {
  /** Called as the process exits: with its crash report when it wasn't stopped through `stop()`. */
  onExit?: (crashReport: string | undefined) => void;
}

const STARTUP_TIMEOUT_MS = STARTUP_CEILING_MS;
const STOP_TIMEOUT_MS = 10_000;
const DEFAULT_SU_EMAIL = 'e2e-superuser@example.com';
const DEFAULT_SU_PASSWORD = 'e2e-Superuser-Passw0rd';

/** The external target named by the environment, if any. */
export function externalTarget(env: NodeJS.ProcessEnv): TestTarget | undefined {
  const baseUrl = env.NB_TEST_BASE_URL;
  if (!baseUrl) {
    return undefined;
  }
  const email = env.NB_TEST_SUPERUSER_EMAIL;
  const password = env.NB_TEST_SUPERUSER_PASSWORD;
  if (!email || !password) {
    throw new Error('NB_TEST_BASE_URL needs NB_TEST_SUPERUSER_EMAIL and NB_TEST_SUPERUSER_PASSWORD as well');
  }
  return { baseUrl: baseUrl.replace(/\/+$/, ''), superuserEmail: email, superuserPassword: password };
}

/**
 * True when the target runs on PostgreSQL: a server this file starts on `NB_TEST_POSTGRES_URL` (the `pg` tier), or
 * an external target said to be (`NB_TEST_DATABASE=postgres`, set by the distributed PostgreSQL set's suite run).
 * For the documented differences only (README "PostgreSQL"): NUL in text, view SQL.
 */
export function targetOnPostgres(env: NodeJS.ProcessEnv = process.env): boolean {
  return env.NB_TEST_BASE_URL ? env.NB_TEST_DATABASE === 'postgres' : Boolean(env.NB_TEST_POSTGRES_URL);
}

/** The repository root: the nearest ancestor holding bin/nestbase.js. */
export function repoRoot(from: string = __dirname): string {
  let dir = from;
  for (;;) {
    if (existsSync(join(dir, 'bin', 'nestbase.js'))) {
      return dir;
    }
    const parent = dirname(dir);
    if (parent === dir) {
      throw new Error(`bin/nestbase.js not found above ${from}; build the server first (npm run build)`);
    }
    dir = parent;
  }
}

/** Polls `path` (default `/api/health`; `/readyz` for readiness) until it answers 200. */
export async function waitForHealth(
  baseUrl: string,
  timeoutMs: number,
  child?: ChildProcess,
  log?: () => string,
  path = '/api/health',
): Promise<void> {
  const client = new HttpClient(baseUrl);
  const deadline = Date.now() + timeoutMs;
  let last = 'no answer';
  while (Date.now() < deadline) {
    if (child && child.exitCode !== null) {
      throw new Error(`nestbase exited with code ${child.exitCode} before it was healthy:\n${log?.() ?? ''}`);
    }
    try {
      const res = await client.request('GET', path);
      if (res.status === 200) {
        return;
      }
      last = `status ${res.status}: ${res.text.slice(0, 200)}`;
    } catch (err) {
      last = err instanceof Error ? err.message : String(err);
    }
    await new Promise((r) => setTimeout(r, 150));
  }
  throw new Error(`nestbase at ${baseUrl} not healthy after ${timeoutMs} ms (${last}):\n${log?.() ?? ''}`);
}

/**
 * Spawns `node bin/nestbase.js serve` on a free port with a fresh data dir; with `NB_TEST_POSTGRES_URL` (the
 * runner's `pg` tier) on a fresh database of that PostgreSQL server (`DATABASE_URL`), dropped at stop.
 */
export async function spawnServer(options: SpawnOptions = {}): Promise<SpawnedServer> {
  const root = repoRoot();
  const dataDir = await mkdtemp(join(tmpdir(), 'nestbase-e2e-'));
  const postgres = process.env.NB_TEST_POSTGRES_URL
    ? await freshPostgresDatabase(process.env.NB_TEST_POSTGRES_URL)
    : null;
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const clock = new TestClock(`${dataDir}.clock`);
  const output: string[] = [];
  const child = spawn(
    process.execPath,
    [join(root, 'bin', 'nestbase.js'), 'serve', '--http', `127.0.0.1:${port}`, '--dir', dataDir],
    {
      cwd: root,
      env: {
        NB_BCRYPT_COST: TEST_BCRYPT_COST,
        ...process.env,
        PB_ADMIN_EMAIL: DEFAULT_SU_EMAIL,
        PB_ADMIN_PASSWORD: DEFAULT_SU_PASSWORD,
        NB_TEST_CLOCK_FILE: clock.file,
        ...(postgres ? { DATABASE_URL: postgres.url } : {}),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const keep = (chunk: Buffer): void => {
    output.push(chunk.toString());
    if (output.length > 200) {
      output.shift();
    }
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const killOnExit = (): void => {
    child.kill('SIGKILL');
  };
  process.on('exit', killOnExit);
  const log = (): string => output.join('').slice(-4000);

  try {
    await waitForHealth(baseUrl, STARTUP_TIMEOUT_MS, child, log);
  } catch (err) {
    child.kill('SIGKILL');
    process.off('exit', killOnExit);
    await rm(dataDir, { recursive: true, force: true });
    await rm(clock.file, { force: true });
    await postgres?.drop();
    throw err;
  }

  let stopping = false;
  const crashReport = (): string | undefined =>
    !stopping && (child.exitCode !== null || child.signalCode !== null)
      ? `nestbase exited (code ${String(child.exitCode)}, signal ${String(child.signalCode)}):\n${log()}`
      : undefined;
  child.once('exit', () => options.onExit?.(crashReport()));
  return {
    baseUrl,
    pid: child.pid ?? 0,
    clockFile: clock.file,
    log,
    crashReport,
    superuserEmail: DEFAULT_SU_EMAIL,
    superuserPassword: DEFAULT_SU_PASSWORD,
    advanceClock: (ms) => clock.advance(ms),
    stop: async () => {
      stopping = true;
      process.off('exit', killOnExit);
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
        await exited;
        clearTimeout(timer);
      }
      await rm(dataDir, { recursive: true, force: true });
      await rm(clock.file, { force: true });
      await postgres?.drop();
    },
  };
}

/**
 * The external target if configured, else a freshly spawned server. An external target is shared by every
 * test file run against it, so the settings a file changes (SMTP, S3, rate limits, trusted proxy, batch) are
 * put back as they were when the file stops.
 */
export async function startTestServer(env: NodeJS.ProcessEnv): Promise<RunningServer> {
  const target = externalTarget(env);
  if (target) {
    await waitForHealth(target.baseUrl, STARTUP_TIMEOUT_MS);
    const http = new HttpClient(target.baseUrl);
    const token = await tokenFor(http, '_superusers', target.superuserEmail, target.superuserPassword);
    const clock = TestClock.fromEnv(env);
    const advanceClock = clock ? (ms: number) => clock.advance(ms) : noClock(target.baseUrl);
    if (env.NB_TEST_PARALLEL === '1') {
      // Run beside other files: it may not change the settings (the HTTP client refuses), so nothing to restore.
      return { ...target, stop: async () => undefined, crashReport: () => undefined, advanceClock };
    }
    const before = await http.request('GET', '/api/settings', { token });
    const restore = async () => {
      // A fresh token: the file may have signed the superuser out (tokenKey changes) meanwhile.
      const again = await tokenFor(http, '_superusers', target.superuserEmail, target.superuserPassword);
      const res = await http.request('PATCH', '/api/settings', { token: again, body: before.body });
      if (res.status !== 200) {
        throw new Error(`restoring the settings of ${target.baseUrl} gave ${res.status}: ${res.text.slice(0, 300)}`);
      }
    };
    return { ...target, stop: restore, crashReport: () => undefined, advanceClock };
  }
  return spawnServer();
}
