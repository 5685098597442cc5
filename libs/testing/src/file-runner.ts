// Runs compiled test files, each in its own process (`node --test-reporter=tap <file>`: node's test runner
// without the extra `--test` parent process), `concurrency` at a time, and reports per
// file: counts, failing test names, duration, and — when a file outlives its ceiling — what was still running.
// The ceiling only catches hangs: it is far above any file's normal duration on a busy machine.
import { spawn } from 'node:child_process';
import { join } from 'node:path';

import { procCpu } from './proc-cpu';
import { readTap, TapSummary } from './tap-report';
import { repoRoot } from './test-server';

export interface FileRunOptions {
  concurrency: number;
  /** Per-file hang ceiling (ms, or per file): the process is killed and reported as hung after this long. */
  ceilingMs: number | ((file: string) => number);
  /** Environment of every file, or of each (default: this process's). */
  env?: NodeJS.ProcessEnv | ((file: string) => NodeJS.ProcessEnv);
  /** Called as each file finishes (in completion order). */
  onDone?: (result: FileResult) => void;
  /** Places files on a resource they share (e.g. a server: see shared-servers.ts); the other files run as usual. */
  scheduler?: FileScheduler;
}

/** A file's place on a shared resource, from its start to its end. */
export interface FileLease {
  /** The file's environment (instead of `FileRunOptions.env`). */
  env: NodeJS.ProcessEnv;
  /** Aborted: the file is killed and fails with the abort's reason (its resource died). */
  signal?: AbortSignal;
  /** Called as the file ends, before `onDone`: frees its place and may add to its result. */
  release(result: FileResult): Promise<void> | void;
}

export interface FileScheduler {
  /** `null`: not a file of this scheduler (it runs as usual); `undefined`: it must wait; else its lease. */
  admit(file: string): FileLease | null | undefined;
  /** Receives the function to call when a file that had to wait may start now (a resource is back). */
  attach?(wake: () => void): void;
}

export interface FileResult extends TapSummary {
  file: string;
  code: number | null;
  signal: NodeJS.Signals | null;
  /** Killed at the ceiling. */
  hung: boolean;
  startedAt: number;
  durationMs: number;
  /**
   * CPU time (user + system, ms) of the file's process and of every process it waited for (its servers), read
   * from this process's reaped-children total as the file's process is reaped; undefined off Linux. Approximate:
   * two files reaped in one pass count together, and a server left to the group kill is not counted.
   */
  cpuMs?: number;
  output: string;
  /** Where it ran when not on a server of its own (a shared server's name). */
  on?: string;
  /** Passed: exit 0, a complete report, nothing failed. */
  ok: boolean;
}

/** CPU of this process's reaped children and theirs (ms). */
const reapedChildrenCpuMs = (): number | undefined => procCpu('self')?.reapedMs;
let reapedCpuSeen = reapedChildrenCpuMs();

/**
 * The CPU reaped since the last file's process was (ms): called as a process other than a file's (a shared
 * server) is reaped, so that its CPU isn't counted to the next file that ends.
 */
export function absorbReapedCpu(): number {
  const now = reapedChildrenCpuMs();
  const delta = now === undefined || reapedCpuSeen === undefined ? 0 : now - reapedCpuSeen;
  reapedCpuSeen = now;
  return delta;
}

/**
 * Runs one file; resolves when its process has closed. `file` may carry a `#variant` suffix (the same file run
 * again in another setting, e.g. `#pg`): it names the result, the path without it is run. `stop` aborted
 * (the server it ran on died): the file is killed and fails with the abort's reason.
 */
export async function runTestFile(
  file: string,
  ceilingMs: number,
  env?: NodeJS.ProcessEnv,
  stop?: AbortSignal,
): Promise<FileResult> {
  const root = repoRoot();
  const startedAt = Date.now();
  const path = file.replace(/#[\w-]+$/, '');
  const child = spawn(process.execPath, ['-r', join(root, 'scripts', 'paths.js'), '--test-reporter=tap', path], {
    cwd: root,
    env: env ?? process.env,
    stdio: ['ignore', 'pipe', 'pipe'],
    // Its own process group: a hung or interrupted file is killed with every server it started.
    detached: true,
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  let hung = false;
  const kill = (): void => {
    try {
      process.kill(-(child.pid ?? 0), 'SIGKILL');
    } catch {
      // the group is gone already
    }
  };
  const timer = setTimeout(() => {
    hung = true;
    kill();
  }, ceilingMs);
  let aborted: string | undefined;
  const abort = (): void => {
    aborted = String(stop?.reason);
    kill();
  };
  if (stop?.aborted) {
    abort();
  }
  stop?.addEventListener('abort', abort, { once: true });
  process.on('exit', kill);
  let cpuMs: number | undefined;
  child.once('exit', () => {
    const now = reapedChildrenCpuMs();
    cpuMs = now === undefined || reapedCpuSeen === undefined ? undefined : now - reapedCpuSeen;
    reapedCpuSeen = now;
  });
  const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve) =>
    child.once('close', (c, s) => resolve([c, s])),
  );
  clearTimeout(timer);
  stop?.removeEventListener('abort', abort);
  process.off('exit', kill);
  kill(); // whatever the file left running (a server it did not stop)
  const tap = readTap(output);
  if (aborted !== undefined) {
    const running = tap.unfinished.length > 0 ? ` (still running: ${tap.unfinished.join('; ')})` : '';
    tap.failures.push({ name: `${file} stopped`, reason: `${aborted}${running}` });
  } else if (hung) {
    const running = tap.unfinished.length > 0 ? tap.unfinished.join('; ') : '(nothing had started)';
    tap.failures.push({ name: `${file} hung`, reason: `still running after ${ceilingMs / 1000} s: ${running}` });
  } else if (!tap.complete || (code !== 0 && tap.failures.length === 0)) {
    tap.failures.push({ name: file, reason: `exited with ${String(code ?? signal)} without a complete report` });
  }
  const ok = !hung && aborted === undefined && code === 0 && tap.complete && tap.fail === 0;
  return { ...tap, file, code, signal, hung, startedAt, durationMs: Date.now() - startedAt, cpuMs, output, ok };
}

/**
 * Runs `files` in the order given (put the longest first), `concurrency` processes at a time; a file waits
 * while its scheduler has no place for it, and the next file that may start takes its place.
 */
export async function runTestFiles(files: string[], options: FileRunOptions): Promise<FileResult[]> {
  const queue = [...files];
  const results: FileResult[] = [];
  let running = 0;
  reapedCpuSeen = reapedChildrenCpuMs(); // what ran before (the dashboard's Vitest run) is no file's

  return new Promise((resolve) => {
    const next = (): void => {
      while (running < Math.max(1, options.concurrency)) {
        let lease: FileLease | null | undefined = null;
        const at = queue.findIndex((file) => {
          lease = options.scheduler ? options.scheduler.admit(file) : null;
          return lease !== undefined;
        });
        if (at === -1) {
          break;
        }
        const [file] = queue.splice(at, 1);
        running += 1;
        const ceiling = typeof options.ceilingMs === 'number' ? options.ceilingMs : options.ceilingMs(file);
        const held = lease as FileLease | null;
        const env = held ? held.env : typeof options.env === 'function' ? options.env(file) : options.env;
        void runTestFile(file, ceiling, env, held?.signal).then(async (result) => {
          try {
            await held?.release(result);
          } catch (err) {
            result.ok = false;
            result.failures.push({ name: `${file} (after it ended)`, reason: String(err) });
          }
          running -= 1;
          results.push(result);
          options.onDone?.(result);
          next();
        });
      }
      if (running === 0 && queue.length === 0) {
        resolve(results);
      }
    };
    options.scheduler?.attach?.(next);
    next();
  });
}
