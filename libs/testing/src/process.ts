// Child processes for CLI and multi-service tests: every wait is bounded, every process can be
// killed idempotently, and their output is kept for assertion messages.
import { ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';

import { STARTUP_CEILING_MS, TEST_BCRYPT_COST } from './ceilings';
import { freePort } from './free-port';
import { repoRoot, waitForHealth } from './test-server';

export interface ProcessResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface ProcessOptions {
  /** Extra environment; PB_ADMIN_* and NB_* are never inherited from the test process. */
  env?: Record<string, string>;
  timeoutMs?: number;
  /** Working directory (default: the repository root). */
  cwd?: string;
  /**
   * What servers are polled on until they answer 200 (default `/api/health`). `/readyz` runs no request guard,
   * so a server waited for on it has served no API request yet (it has not looked at the schema since start).
   */
  healthPath?: string;
}

export interface ManagedProcess {
  readonly child: ChildProcess;
  /** `http://127.0.0.1:<port>` for servers started by `startNestbase`/`startRecordsApp`, else "". */
  readonly baseUrl: string;
  stdout(): string;
  stderr(): string;
  /** Resolves with the stdout so far once it matches `re`; rejects on exit or timeout. */
  waitForOutput(re: RegExp, timeoutMs?: number): Promise<string>;
  /** Sends `signal`, waits for the exit (SIGKILL after `timeoutMs`) and returns the result. */
  stop(signal?: NodeJS.Signals, timeoutMs?: number): Promise<ProcessResult>;
  /** SIGKILL if still running; safe to call any number of times (use in `after`/`finally`). */
  kill(): void;
}

const DEFAULT_TIMEOUT_MS = STARTUP_CEILING_MS;

function childEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!key.startsWith('PB_ADMIN_') && !key.startsWith('NB_')) {
      env[key] = value;
    }
  }
  return { ...env, NB_BCRYPT_COST: TEST_BCRYPT_COST, ...extra };
}

/** Spawns `node <args>` in the repository root and keeps its output. */
export function startProcess(args: string[], options: ProcessOptions = {}, baseUrl = ''): ManagedProcess {
  const root = repoRoot();
  const child = spawn(process.execPath, args, {
    cwd: options.cwd ?? root,
    env: childEnv(options.env),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    out += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    err += chunk.toString();
  });
  const exited = new Promise<void>((resolve) => child.once('close', () => resolve()));
  const running = (): boolean => child.exitCode === null && child.signalCode === null;
  const kill = (): void => {
    if (running()) {
      child.kill('SIGKILL');
    }
  };
  process.on('exit', kill);
  const result = (): ProcessResult => ({ code: child.exitCode, signal: child.signalCode, stdout: out, stderr: err });

  return {
    child,
    baseUrl,
    stdout: () => out,
    stderr: () => err,
    kill,
    waitForOutput: async (re, timeoutMs = DEFAULT_TIMEOUT_MS) => {
      const deadline = Date.now() + timeoutMs;
      while (!re.test(out)) {
        if (!running()) {
          throw new Error(`process exited (${String(child.exitCode)}) before printing ${String(re)}:\n${out}\n${err}`);
        }
        if (Date.now() > deadline) {
          throw new Error(`no ${String(re)} within ${timeoutMs} ms:\n${out}\n${err}`);
        }
        await new Promise((r) => setTimeout(r, 50));
      }
      return out;
    },
    stop: async (signal = 'SIGTERM', timeoutMs = 10_000) => {
      if (running()) {
        child.kill(signal);
        const timer = setTimeout(kill, timeoutMs);
        await exited;
        clearTimeout(timer);
      } else {
        await Promise.race([exited, new Promise((r) => setTimeout(r, 1000))]);
      }
      process.off('exit', kill);
      return result();
    },
  };
}

/** Runs a CLI command to completion (`node bin/nestbase.js ...args`), SIGKILLed after the timeout. */
export async function runCli(args: string[], options: ProcessOptions = {}): Promise<ProcessResult> {
  const proc = startProcess([join(repoRoot(), 'bin', 'nestbase.js'), ...args], options);
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const timer = setTimeout(() => proc.kill(), timeoutMs);
  try {
    await new Promise<void>((resolve) => proc.child.once('close', () => resolve()));
  } finally {
    clearTimeout(timer);
  }
  const res = await proc.stop();
  if (res.signal === 'SIGKILL') {
    throw new Error(`nestbase ${args.join(' ')} did not finish within ${timeoutMs} ms:\n${res.stdout}\n${res.stderr}`);
  }
  return res;
}

async function startServerProcess(args: (port: number) => string[], options: ProcessOptions): Promise<ManagedProcess> {
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const proc = startProcess(args(port), options, baseUrl);
  try {
    await waitForHealth(
      baseUrl,
      options.timeoutMs ?? STARTUP_CEILING_MS,
      proc.child,
      () => `${proc.stdout()}
${proc.stderr()}`,
      options.healthPath,
    );
  } catch (err) {
    proc.kill();
    throw err;
  }
  return proc;
}

/** `nestbase serve --http 127.0.0.1:<free port> --dir <dir> [extra flags]`, healthy on return. */
export async function startNestbase(
  dir: string,
  extraArgs: string[] = [],
  options: ProcessOptions = {},
): Promise<ManagedProcess> {
  const bin = join(repoRoot(), 'bin', 'nestbase.js');
  return startServerProcess(
    (port) => [bin, 'serve', '--http', `127.0.0.1:${port}`, '--dir', dir, ...extraArgs],
    options,
  );
}

/**
 * A split service (`nestbase <app>`, as its container runs it: dist/apps/<app> behind bin/nestbase.js's heap
 * settings) on a free port over `dir` with extra flags, healthy on return.
 */
export async function startSplitService(
  app: 'records' | 'auth' | 'files' | 'realtime',
  dir: string,
  extraArgs: string[] = [],
  options: ProcessOptions = {},
): Promise<ManagedProcess> {
  const bin = join(repoRoot(), 'bin', 'nestbase.js');
  return startServerProcess((port) => [bin, app, '--http', `127.0.0.1:${port}`, '--dir', dir, ...extraArgs], options);
}

/** The split records service (dist/apps/records) on a free port over `dir`, healthy on return. */
export function startRecordsApp(dir: string, options: ProcessOptions = {}): Promise<ManagedProcess> {
  return startSplitService('records', dir, [], options);
}
