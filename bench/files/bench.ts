// Files benchmark: download throughput of a 10 MB file (nestbase vs @fastify/static serving the same
// file, same run), first and cached thumbnail latency, and the server's peak RSS while a 200 MB file
// is uploaded. Run: npm run build && node -r ./scripts/paths.js dist/bench/files/bench.js
/* eslint-disable no-console -- a CLI report */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import * as net from 'node:net';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import sharp from 'sharp';
import { download, request, throughput, uploadGenerated } from './bench-http';

const ROOT = path.resolve(__dirname, '..', '..', '..');
const ADMIN = { email: 'bench@example.com', password: 'bench-admin-pw-1234' };
const MB = 1024 * 1024;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const srv = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

async function startProcess(args: string[], port: number, env: NodeJS.ProcessEnv = {}): Promise<ChildProcess> {
  const child = spawn(process.execPath, args, { cwd: ROOT, env: { ...process.env, ...env }, stdio: 'ignore' });
  for (let i = 0; i < 300; i++) {
    const ok = await request(port, 'GET', '/api/health').then(
      (r) => r.status === 200,
      () => false,
    );
    if (ok) {
      return child;
    }
    await sleep(50);
  }
  child.kill('SIGKILL');
  throw new Error(`${args.join(' ')} did not start`);
}

function rssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

async function main(): Promise<void> {
  const dir = mkdtempSync(path.join(tmpdir(), 'nestbase-bench-files-'));
  const port = await freePort();
  const nb = await startProcess(
    [path.join(ROOT, 'bin', 'nestbase.js'), 'serve', '--http', `127.0.0.1:${port}`, '--dir', dir],
    port,
    {
      PB_ADMIN_EMAIL: ADMIN.email,
      PB_ADMIN_PASSWORD: ADMIN.password,
      NB_LOG_LEVEL: 'error',
    },
  );
  const children: ChildProcess[] = [nb];
  try {
    const auth = await request(port, 'POST', '/api/collections/_superusers/auth-with-password', {
      identity: ADMIN.email,
      password: ADMIN.password,
    });
    const token = String(auth.json.token);
    const col = await request(
      port,
      'POST',
      '/api/collections',
      {
        name: 'bench_files',
        type: 'base',
        listRule: '',
        viewRule: '',
        createRule: '',
        fields: [
          { name: 'blob', type: 'file', maxSize: 300 * MB },
          {
            name: 'img',
            type: 'file',
            maxSize: 20 * MB,
            thumbs: ['200x200', '320x240', '400x300f', '0x150', '150x0t'],
          },
        ],
      },
      token,
    );
    const colId = String(col.json.id);

    // Download throughput: the same 10 MB file from nestbase and from @fastify/static.
    const ten = await uploadGenerated(port, '/api/collections/bench_files/records', 'blob', 10 * MB, token);
    const recId = String(ten.json.id);
    const fileName = String(ten.json.blob);
    const staticPort = await freePort();
    const storageRoot = path.join(dir, 'storage');
    children.push(
      await startProcess([path.join(__dirname, 'static-server.js'), storageRoot, String(staticPort)], staticPort),
    );
    const nbPath = `/api/files/bench_files/${recId}/${fileName}`;
    const staticPath = `/${colId}/${recId}/${fileName}`;
    const check = [await download(port, nbPath), await download(staticPort, staticPath)];
    if (check.some((r) => r.status !== 200 || r.bytes !== 10 * MB)) {
      throw new Error(`bad download: ${JSON.stringify(check)}`);
    }
    const rounds = { nestbase: [] as number[], static: [] as number[] };
    for (let round = 0; round < 3; round++) {
      rounds.nestbase.push(await throughput(port, nbPath, 8, 3));
      rounds.static.push(await throughput(staticPort, staticPath, 8, 3));
    }
    const nbBest = Math.max(...rounds.nestbase);
    const stBest = Math.max(...rounds.static);

    // Thumbnails of a 2400x1600 JPEG: first (generated) and cached latency.
    const jpeg = await sharp({ create: { width: 2400, height: 1600, channels: 3, background: '#3a7' } })
      .jpeg()
      .toBuffer();
    const form = new FormData();
    form.append('img', new Blob([jpeg], { type: 'image/jpeg' }), 'photo.jpg');
    const res = await fetch(`http://127.0.0.1:${port}/api/collections/bench_files/records`, {
      method: 'POST',
      body: form,
    });
    const img = (await res.json()) as { id: string; img: string };
    const first: number[] = [];
    for (const size of ['100x100', '200x200', '320x240', '400x300f', '0x150', '150x0t']) {
      first.push((await download(port, `/api/files/bench_files/${img.id}/${img.img}?thumb=${size}`)).ms);
    }
    const cached: number[] = [];
    for (let i = 0; i < 300; i++) {
      cached.push((await download(port, `/api/files/bench_files/${img.id}/${img.img}?thumb=100x100`)).ms);
    }

    // Peak RSS of the server while a 200 MB upload streams in.
    await sleep(500);
    const idle = rssMb(nb.pid!);
    let peak = idle;
    const sampler = setInterval(() => (peak = Math.max(peak, rssMb(nb.pid!))), 10);
    const started = Date.now();
    const big = await uploadGenerated(port, '/api/collections/bench_files/records', 'blob', 200 * MB, token);
    const uploadMs = Date.now() - started;
    clearInterval(sampler);
    if (big.status !== 200) {
      throw new Error(`200 MB upload → ${big.status} ${JSON.stringify(big.json)}`);
    }

    const report = {
      download10MB: {
        nestbaseMBps: Math.round(nbBest),
        fastifyStaticMBps: Math.round(stBest),
        ratio: Number((nbBest / stBest).toFixed(2)),
        target: '>= 0.70',
        rounds: { nestbase: rounds.nestbase.map(Math.round), static: rounds.static.map(Math.round) },
      },
      thumbnails2400x1600Jpeg: {
        firstMs: { p50: Number(percentile(first, 50).toFixed(1)), max: Number(Math.max(...first).toFixed(1)) },
        cachedMs: { p50: Number(percentile(cached, 50).toFixed(2)), p95: Number(percentile(cached, 95).toFixed(2)) },
      },
      upload200MB: {
        idleRssMB: Math.round(idle),
        peakRssMB: Math.round(peak),
        aboveIdleMB: Math.round(peak - idle),
        target: '< 150',
        seconds: Number((uploadMs / 1000).toFixed(1)),
      },
    };
    console.log(JSON.stringify(report, null, 2));
  } finally {
    for (const child of children) {
      child.kill('SIGTERM');
    }
    await sleep(300);
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
