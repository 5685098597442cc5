// A record create with a 20 KB file: latency one at a time (p50/p95) and throughput with 8 in flight, for two
// builds in alternating rounds of the same run (the upload journal's cost: its note is written before the file and
// deleted after the answer). Local storage, or s3rver with --s3.
// Run: node -r ./scripts/paths.js dist/bench/files/create-with-file.js --before /path/to/other/build [--s3]
//   (a build is a directory with bin/nestbase.js and dist/: e.g. a copy of the main branch's)
/* eslint-disable no-console -- a CLI report */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { freePort } from '@lib/testing';
import { startS3, type TestS3 } from '../../test/e2e/support/s3-server';

const ROOT = path.resolve(__dirname, '..', '..', '..');
const ADMIN = { email: 'bench@example.com', password: 'bench-admin-pw-1234' };
const FILE = new Uint8Array(20 * 1024).map((_, i) => (i * 31) % 251);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Figures {
  p50: number;
  p95: number;
  perSecond: number;
  /** The server's CPU time (user + system) per create in the one-at-a-time phase, in µs: robust to load. */
  cpuUs: number;
}

/** A process's CPU time so far (user + system), in ms, from /proc (Linux; 0 elsewhere). */
function cpuMs(pid: number | undefined): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // utime, stime in clock ticks (USER_HZ 100)
  } catch {
    return 0;
  }
}

async function json(base: string, method: string, url: string, body?: unknown, token?: string) {
  const res = await fetch(base + url, {
    method,
    headers: { 'content-type': 'application/json', ...(token ? { authorization: token } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const parsed = (await res.json()) as Record<string, unknown>;
  if (!res.ok) {
    throw new Error(`${method} ${url}: ${res.status} ${JSON.stringify(parsed)}`);
  }
  return parsed;
}

async function create(base: string, i: number): Promise<number> {
  const form = new FormData();
  form.append('title', `t${i}`);
  form.append('doc', new Blob([FILE], { type: 'application/octet-stream' }), `doc${i}.bin`);
  const start = performance.now();
  const res = await fetch(`${base}/api/collections/bench_docs/records`, { method: 'POST', body: form });
  await res.arrayBuffer();
  if (res.status !== 200) {
    throw new Error(`create: ${res.status}`);
  }
  return performance.now() - start;
}

async function measure(root: string, s3: TestS3 | undefined): Promise<Figures> {
  const dir = mkdtempSync(path.join(tmpdir(), 'nestbase-bench-journal-'));
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const env = { ...process.env, PB_ADMIN_EMAIL: ADMIN.email, PB_ADMIN_PASSWORD: ADMIN.password, NB_LOG_LEVEL: 'error' };
  const args = [path.join(root, 'bin', 'nestbase.js'), 'serve', '--http', `127.0.0.1:${port}`, '--dir', dir];
  const child: ChildProcess = spawn(process.execPath, args, { cwd: root, env, stdio: 'ignore' });
  try {
    for (let i = 0; ; i++) {
      if (
        (await fetch(`${base}/api/health`).then(
          (r) => r.status,
          () => 0,
        )) === 200
      ) {
        break;
      }
      if (i > 400) {
        throw new Error(`${root} did not start`);
      }
      await sleep(50);
    }
    const token = String(
      (
        await json(base, 'POST', '/api/collections/_superusers/auth-with-password', {
          identity: ADMIN.email,
          password: ADMIN.password,
        })
      ).token,
    );
    if (s3) {
      await json(base, 'PATCH', '/api/settings', { s3: s3.settings }, token);
    }
    const fields = [
      { name: 'title', type: 'text' },
      { name: 'doc', type: 'file', maxSelect: 1 },
    ];
    const rules = { listRule: '', viewRule: '', createRule: '', updateRule: '', deleteRule: '' };
    await json(base, 'POST', '/api/collections', { name: 'bench_docs', type: 'base', fields, ...rules }, token);
    for (let i = 0; i < 50; i++) {
      await create(base, i);
    }
    const times: number[] = [];
    const cpuBefore = cpuMs(child.pid);
    for (let i = 0; i < 400; i++) {
      times.push(await create(base, i));
    }
    const cpuUs = ((cpuMs(child.pid) - cpuBefore) * 1000) / 400;
    times.sort((a, b) => a - b);
    let next = 0;
    const start = performance.now();
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        while (next < 800) {
          await create(base, next++);
        }
      }),
    );
    const perSecond = 800 / ((performance.now() - start) / 1000);
    return { p50: times[200], p95: times[380], perSecond, cpuUs };
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { before: { type: 'string' }, s3: { type: 'boolean' }, rounds: { type: 'string' } },
  });
  if (!values.before) {
    throw new Error('--before DIR (another build) is required');
  }
  const builds = { before: path.resolve(values.before), after: ROOT };
  const s3 = values.s3 ? await startS3() : undefined;
  const results: Record<string, Figures[]> = { before: [], after: [] };
  try {
    for (let round = 0; round < Number(values.rounds ?? 3); round++) {
      for (const [name, root] of Object.entries(builds)) {
        const f = await measure(root, s3);
        results[name].push(f);
        console.log(
          `round ${round + 1} ${name.padEnd(6)} p50 ${f.p50.toFixed(2)} ms  p95 ${f.p95.toFixed(2)} ms  ${f.perSecond.toFixed(0)} creates/s (8 in flight)  server CPU ${f.cpuUs.toFixed(0)} µs/create`,
        );
      }
    }
  } finally {
    await s3?.stop();
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  for (const [name, list] of Object.entries(results)) {
    console.log(
      `median ${name.padEnd(6)} p50 ${median(list.map((f) => f.p50)).toFixed(2)} ms  p95 ${median(list.map((f) => f.p95)).toFixed(2)} ms  ${median(list.map((f) => f.perSecond)).toFixed(0)} creates/s  server CPU ${median(list.map((f) => f.cpuUs)).toFixed(0)} µs/create`,
    );
  }
}

void main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
