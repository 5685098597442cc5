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

/** PocketBase's `$os`: environment, files and directories (synchronous, as Go's `os`). `exec`/`cmd` are not provided. */
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
};
