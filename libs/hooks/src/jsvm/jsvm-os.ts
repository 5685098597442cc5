import { execFileSync } from 'node:child_process';
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

// The request runs in a child Node process, so the hook gets its answer synchronously as PocketBase's does.
const SEND = `let s='';process.stdin.on('data',d=>s+=d).on('end',async()=>{const c=JSON.parse(s);
try{const r=await fetch(c.url,{method:c.method,headers:c.headers,body:c.body,redirect:'follow',
signal:AbortSignal.timeout(c.timeout*1000)});const b=Buffer.from(await r.arrayBuffer());
process.stdout.write(JSON.stringify({status:r.status,headers:[...r.headers],body:b.toString('base64')}))}
catch(e){process.stdout.write(JSON.stringify({error:String(e&&e.message||e)}))}})`;

interface SendConfig {
  url: string;
  method?: string;
  body?: string;
  headers?: Record<string, string>;
  /** Seconds (default 120). */
  timeout?: number;
}

/** PocketBase's `$http.send({url, method, body, headers, timeout})`: the response, synchronously. */
export const $http = {
  send: (config: SendConfig) => {
    const method = (config.method ?? 'GET').toUpperCase();
    const timeout = config.timeout ?? 120;
    const input = JSON.stringify({
      url: config.url,
      method,
      headers: config.headers ?? {},
      body: method === 'GET' || method === 'HEAD' || !config.body ? undefined : config.body,
      timeout,
    });
    const out = execFileSync(process.execPath, ['-e', SEND], {
      input,
      timeout: timeout * 1000 + 5000,
      maxBuffer: 256 * 1024 * 1024,
    }).toString('utf8');
    const answer = JSON.parse(out) as { status: number; headers: [string, string][]; body: string; error?: string };
    if (answer.error) {
      throw new Error(`$http.send: ${answer.error}`);
    }
    const body = Buffer.from(answer.body, 'base64');
    const raw = body.toString('utf8');
    let json: unknown;
    try {
      json = JSON.parse(raw);
    } catch {
      json = null;
    }
    const headers: Record<string, string[]> = {};
    for (const [name, value] of answer.headers) {
      const key = name.replace(/(^|-)([a-z])/g, (_m, dash: string, ch: string) => dash + ch.toUpperCase());
      (headers[key] ??= []).push(value);
    }
    return { statusCode: answer.status, headers, cookies: {}, body: [...body], raw, json };
  },
};
