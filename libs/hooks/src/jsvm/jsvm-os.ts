import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import { hookEnv } from '@lib/core';

type Bytes = string | number[] | Uint8Array;

const bytes = (data: Bytes) => (typeof data === 'string' ? Buffer.from(data, 'utf8') : Buffer.from(data));

function entry(path: string, name: string) {
  const stat = fs.statSync(path);
  return {
    name: () => name,
    isDir: () => stat.isDirectory(),
    size: () => stat.size,
    modTime: () => stat.mtime.toISOString(),
    mode: () => stat.mode,
  };
}

/**
 * Go's `exec.Command(name, ...args)` (`$os.cmd`): `dir`, `env` (`["K=V"]`, the process's when empty) and `stdin` to
 * set; `output()` / `combinedOutput()` (bytes) and `run()` wait for the command, which blocks the process as a
 * synchronous call must; a non-zero exit throws `exit status N`. `start()` runs it in the background (no `wait()`:
 * a synchronous wait would block the event loop the child is reaped on).
 */
function command(name: string, ...args: string[]) {
  const cmd = {
    path: name,
    args: [name, ...args],
    dir: '',
    env: [] as string[],
    stdin: '' as string | number[],
    output: () => [...exec(false)],
    combinedOutput: () => [...exec(true)],
    run: () => void exec(false),
    start: () => {
      const child = spawn(name, args, { ...options(), stdio: 'ignore', detached: true });
      child.on('error', () => undefined);
      child.unref();
    },
  };
  const options = () => ({
    cwd: cmd.dir || undefined,
    env:
      cmd.env.length > 0
        ? Object.fromEntries(cmd.env.map((kv) => [kv.split('=')[0], kv.slice(kv.indexOf('=') + 1)]))
        : undefined,
  });
  const exec = (combined: boolean): Buffer => {
    const res = spawnSync(name, args, { ...options(), input: bytes(cmd.stdin), maxBuffer: 64 * 1024 * 1024 });
    if (res.error) {
      throw new Error(`exec: ${res.error.message}`);
    }
    if (res.status !== 0) {
      throw new Error(res.status === null ? `signal: ${res.signal}` : `exit status ${res.status}`);
    }
    return combined ? Buffer.concat([res.stdout, res.stderr]) : res.stdout;
  };
  return cmd;
}

/** PocketBase's `$os`: environment, files, directories and commands (synchronous, as Go's `os`). */
export const $os = {
  getenv: hookEnv,
  readFile: (path: string) => [...fs.readFileSync(path)],
  writeFile: (path: string, data: Bytes, perm = 0o644) => fs.writeFileSync(path, bytes(data), { mode: perm }),
  readDir: (path: string) => fs.readdirSync(path).map((name) => entry(`${path.replace(/\/$/, '')}/${name}`, name)),
  stat: (path: string) => entry(path, path.split('/').pop() ?? path),
  mkdir: (path: string, perm = 0o755) => fs.mkdirSync(path, { mode: perm }),
  mkdirAll: (path: string, perm = 0o755) => void fs.mkdirSync(path, { recursive: true, mode: perm }),
  remove: (path: string) => (fs.statSync(path).isDirectory() ? fs.rmdirSync(path) : fs.unlinkSync(path)),
  removeAll: (path: string) => fs.rmSync(path, { recursive: true, force: true }),
  rename: (from: string, to: string) => fs.renameSync(from, to),
  truncate: (path: string, size: number) => fs.truncateSync(path, size),
  getwd: () => process.cwd(),
  tempDir: () => os.tmpdir(),
  hostname: () => os.hostname(),
  args: process.argv.slice(1),
  cmd: command,
  exec: command,
  exit: (code = 0) => process.exit(code),
};
