import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { ADMIN, freePort, ROOT, rssMb, start, stop, waitHealthy, type Server } from '../records/processes';

/**
 * Backup and restore of a large data directory through the API: `BENCH_BACKUP_MB` (1024) of data — a fifth in
 * data.db (a blob table), the rest as storage files (photos stored as is, text compressed) — then
 * `POST /api/backups` with the server's RSS sampled every 50 ms, and `POST /api/backups/{key}/restore` timed
 * until the app answers again on the restored data.
 * Run: npm run build && node -r ./scripts/paths.js dist/bench/ops/backup-bench.js
 */
const totalMb = Number(process.env.BENCH_BACKUP_MB ?? 1024);
const log = (line: string) => process.stdout.write(`${line}\n`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function serve(dir: string): Promise<Server> {
  const port = await freePort();
  const t0 = process.hrtime.bigint();
  const args = [path.join(ROOT, 'bin', 'nestbase.js'), 'serve', '--http', `127.0.0.1:${port}`, '--dir', dir];
  const server = start('nestbase', port, args, {
    ...process.env,
    PB_ADMIN_EMAIL: ADMIN.email,
    PB_ADMIN_PASSWORD: ADMIN.password,
  });
  await waitHealthy(server, t0, 180_000);
  return server;
}

async function api(server: Server, method: string, url: string, token = '', body?: unknown): Promise<Response> {
  return fetch(`http://127.0.0.1:${server.port}${url}`, {
    method,
    headers: { authorization: token, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

async function login(server: Server): Promise<string> {
  const res = await api(server, 'POST', '/api/collections/_superusers/auth-with-password', '', {
    identity: ADMIN.email,
    password: ADMIN.password,
  });
  return ((await res.json()) as { token: string }).token;
}

function fill(dir: string): void {
  const db = new BetterSqlite3(path.join(dir, 'data.db'));
  db.exec('CREATE TABLE IF NOT EXISTS bench_blob (id INTEGER PRIMARY KEY, body BLOB)');
  const insert = db.prepare('INSERT INTO bench_blob (body) VALUES (?)');
  const dbMb = Math.round(totalMb / 5);
  db.transaction(() => {
    for (let i = 0; i < dbMb * 4; i++) {
      insert.run(randomBytes(256 * 1024));
    }
  })();
  db.close();
  const storage = path.join(dir, 'storage', 'pbc_bench', 'rec');
  fs.mkdirSync(storage, { recursive: true });
  const text = Buffer.from('lorem ipsum dolor sit amet '.repeat(160_000).slice(0, 4 * 1024 * 1024));
  const fileMb = totalMb - dbMb;
  for (let i = 0; i < fileMb / 4; i++) {
    const photo = i % 5 !== 4;
    fs.writeFileSync(path.join(storage, `f${i}.${photo ? 'jpg' : 'txt'}`), photo ? randomBytes(4 * 1024 * 1024) : text);
  }
  const size = (dir: string): number =>
    fs
      .readdirSync(dir, { withFileTypes: true })
      .reduce(
        (n, e) => n + (e.isDirectory() ? size(path.join(dir, e.name)) : fs.statSync(path.join(dir, e.name)).size),
        0,
      );
  log(`data directory: ${(size(dir) / 1024 / 1024).toFixed(0)} MB`);
}

async function main(): Promise<void> {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'nestbase-backup-bench-'));
  const dir = path.join(tmp, 'pb_data');
  let server: Server | null = null;
  try {
    server = await serve(dir);
    await stop(server);
    log(`filling ${dir} with ${totalMb} MB ...`);
    fill(dir);
    server = await serve(dir);
    const token = await login(server);
    await sleep(1000);
    const idle = rssMb(server) ?? 0;
    let peak = idle;
    const sampler = setInterval(() => (peak = Math.max(peak, rssMb(server!) ?? 0)), 50);
    const t0 = Date.now();
    const created = await api(server, 'POST', '/api/backups', token, { name: 'big.zip' });
    const backupMs = Date.now() - t0;
    clearInterval(sampler);
    const size = fs.statSync(path.join(dir, 'backups', 'big.zip')).size;
    log(
      `backup: ${created.status} in ${backupMs} ms, zip ${(size / 1024 / 1024).toFixed(0)} MB; RSS idle ${idle.toFixed(0)} MB, peak ${peak.toFixed(0)} MB (+${(peak - idle).toFixed(0)} MB)`,
    );

    await api(server, 'POST', '/api/collections', token, { name: 'after_backup', type: 'base' });
    const t1 = Date.now();
    const restored = await api(server, 'POST', '/api/backups/big.zip/restore', token);
    for (;;) {
      await sleep(100);
      const again = await login(server).catch(() => '');
      if (
        again &&
        (await api(server, 'GET', '/api/collections/after_backup', again).catch(() => null))?.status === 404
      ) {
        break;
      }
    }
    log(`restore: ${restored.status}, app back on the restored data after ${Date.now() - t1} ms`);
  } finally {
    if (server) {
      await stop(server);
    }
    fs.rmSync(tmp, { recursive: true, force: true, maxRetries: 5, retryDelay: 500 });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${String(error)}\n`);
  process.exit(1);
});
