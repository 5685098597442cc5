import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { SYSTEM_CLOCK } from '../../libs/core/src/clock';
import { LogWriter } from '../../libs/ops/src/logs/log-writer';
import { DEFAULT_LOG_POLICY } from '../../libs/ops/src/logs/log-policy';
import { SqliteLogRepository } from '../../libs/ops/src/logs/sqlite/sqlite-log.repository';

/**
 * Main-thread CPU per logged request, independent of machine load: `BENCH_LOG_ENTRIES` (200000) request
 * entries built as the request logger builds them and handed in batches of 500 to the writer thread.
 * Run: npm run build && node -r ./scripts/paths.js dist/bench/ops/log-cost.js
 */
const entries = Number(process.env.BENCH_LOG_ENTRIES ?? 200_000);

async function main(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nestbase-logcost-'));
  const repo = new SqliteLogRepository(dir);
  const policy = { read: () => Promise.resolve(DEFAULT_LOG_POLICY) };
  const writer = new LogWriter(repo, policy, SYSTEM_CLOCK);
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  for (let i = 0; i < entries; i++) {
    writer.write(0, `GET /api/collections/posts/records/${i}`, {
      type: 'request',
      url: `/api/collections/posts/records/${i}`,
      method: 'GET',
      status: 200,
      execTime: 1.234,
      auth: 'users',
      referer: '',
      userAgent: 'bench/1.0',
      userIP: '127.0.0.1',
      remoteIP: '127.0.0.1',
    });
    if (i % 500 === 499) {
      void writer.flush();
    }
  }
  const cpu = process.cpuUsage(cpu0);
  await writer.flush();
  const total = (cpu.user + cpu.system) / entries;
  process.stdout.write(
    `${entries} entries in ${(performance.now() - t0).toFixed(0)} ms: ${total.toFixed(1)} µs CPU per logged request, both threads\n`,
  );
  // The event loop's share: building and queueing (a store that takes batches at no cost), plus the structured
  // clone postMessage makes of each batch (approximated by structuredClone).
  const free = new LogWriter(
    { insertInBackground: async () => undefined } as unknown as SqliteLogRepository,
    policy,
    SYSTEM_CLOCK,
  );
  const sample = {
    type: 'request',
    url: '/api/x',
    method: 'GET',
    status: 200,
    execTime: 1.2,
    auth: '',
    referer: '',
    userAgent: 'bench/1.0',
    userIP: '127.0.0.1',
    remoteIP: '127.0.0.1',
  };
  const c1 = process.cpuUsage();
  const batch: unknown[] = [];
  for (let i = 0; i < entries; i++) {
    free.write(0, `GET /api/collections/posts/records/${i}`, { ...sample, url: `/api/collections/posts/records/${i}` });
    batch.push({ id: 'x', created: 'y', level: 0, message: 'GET /api/x', data: sample });
    if (batch.length === 500) {
      structuredClone(batch);
      batch.length = 0;
      void free.flush();
    }
  }
  const main = process.cpuUsage(c1);
  process.stdout.write(
    `event loop's share: ${((main.user + main.system) / entries).toFixed(1)} µs per logged request\n`,
  );
  await repo.close();
  fs.rmSync(dir, { recursive: true, force: true });
}

void main();
