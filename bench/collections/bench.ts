import * as fs from 'node:fs';
import * as http from 'node:http';
import * as os from 'node:os';
import * as path from 'node:path';
import { ADMIN, startNestbase, stop, type Server } from '../records/processes';

/**
 * `npm run bench:collections`: collection schema changes with many collections present. Makes
 * BENCH_COLLECTIONS (2000) collections through one import (plain tables with an index, tables with a
 * relation to an earlier one, views over an earlier table), then times a single create, a single delete
 * and an import with `deleteMissing` that keeps BENCH_KEEP (50) of them. Prints the figures.
 * Env: BENCH_COLLECTIONS, BENCH_KEEP, BENCH_SINGLES (5 creates/deletes, median shown), BENCH_KEEP_DIR.
 */

function envInt(name: string, fallback: number, min: number): number {
  const raw = process.env[name];
  const n = raw === undefined || raw === '' ? fallback : Number(raw);
  if (!Number.isInteger(n) || n < min) {
    throw new Error(`${name} must be an integer >= ${min}, got "${raw}"`);
  }
  return n;
}

const TOTAL = envInt('BENCH_COLLECTIONS', 2000, 10);
const KEEP = envInt('BENCH_KEEP', 50, 5);
const SINGLES = envInt('BENCH_SINGLES', 5, 1);
const log = (line: string) => process.stdout.write(`${line}\n`);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

interface Answer {
  status: number;
  body: string;
}

function request(port: number, method: string, url: string, token: string, body?: unknown): Promise<Answer> {
  const data = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port,
        method,
        path: url,
        agent: false,
        headers: {
          ...(token ? { authorization: token } : {}),
          ...(data ? { 'content-type': 'application/json', 'content-length': data.length } : {}),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
      },
    );
    req.setTimeout(600_000, () => req.destroy(new Error(`${method} ${url}: no answer in 600 s`)));
    req.on('error', reject);
    req.end(data);
  });
}

async function timed(port: number, method: string, url: string, token: string, body?: unknown): Promise<number> {
  const t0 = process.hrtime.bigint();
  const res = await request(port, method, url, token, body);
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (res.status !== 200 && res.status !== 204) {
    throw new Error(`${method} ${url}: ${res.status} ${res.body.slice(0, 500)}`);
  }
  return ms;
}

const id = (i: number) => `bench${String(i).padStart(5, '0')}`;
const name = (i: number) => `bench_${String(i).padStart(5, '0')}`;

/**
 * Collection i: every 10th (but the first few) a view over an earlier table, every 3rd a table with a
 * relation to an earlier table, the rest plain tables; every table has an index. Collections below `keep`
 * only refer to collections below `keep`, so the kept ones stand on their own.
 */
function definition(i: number): Record<string, unknown> {
  const target = (j: number) => (j % 10 === 0 ? j - 1 : j);
  const earlier = i < 2 ? -1 : target(i < KEEP ? Math.floor(i / 2) : KEEP + ((i * 7) % Math.max(1, i - KEEP)));
  if (i % 10 === 0 && earlier >= 0) {
    return {
      id: id(i),
      name: name(i),
      type: 'view',
      listRule: '',
      viewRule: '',
      viewQuery: `SELECT id, title FROM ${name(earlier)}`,
    };
  }
  const fields: Record<string, unknown>[] = [{ name: 'title', type: 'text' }];
  if (i % 3 === 0 && earlier >= 0) {
    fields.push({ name: 'ref', type: 'relation', collectionId: id(earlier), maxSelect: 1 });
  }
  return {
    id: id(i),
    name: name(i),
    type: 'base',
    listRule: '',
    viewRule: '',
    fields,
    indexes: [`CREATE INDEX \`idx_${name(i)}_title\` ON \`${name(i)}\` (\`title\`)`],
  };
}

async function main(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nestbase-bench-collections-'));
  let server: Server | undefined;
  try {
    log(`collections bench: ${TOTAL} collections, keep ${KEEP}, ${SINGLES} single creates/deletes`);
    server = (await startNestbase(dir)).server;
    const port = server.port;
    const login = await request(port, 'POST', '/api/collections/_superusers/auth-with-password', '', {
      identity: ADMIN.email,
      password: ADMIN.password,
    });
    const token = (JSON.parse(login.body) as { token: string }).token;
    const all = Array.from({ length: TOTAL }, (_, i) => definition(i));

    const importMs = await timed(port, 'PUT', '/api/collections/import', token, { collections: all });
    log(`  import of ${TOTAL} new collections:             ${importMs.toFixed(0).padStart(7)} ms`);

    const creates: number[] = [];
    const deletes: number[] = [];
    for (let k = 0; k < SINGLES; k++) {
      const extra = { ...definition(TOTAL + k), indexes: [] };
      creates.push(await timed(port, 'POST', '/api/collections', token, extra));
      deletes.push(await timed(port, 'DELETE', `/api/collections/${id(TOTAL + k)}`, token));
    }
    log(`  single create with ${TOTAL} present (median):  ${median(creates).toFixed(1).padStart(7)} ms`);
    log(`  single delete with ${TOTAL} present (median):  ${median(deletes).toFixed(1).padStart(7)} ms`);
    const imported: number[] = [];
    for (const i of [TOTAL - 1, TOTAL - 2, TOTAL - 4]) {
      // The last ones: nothing refers to them.
      imported.push(await timed(port, 'DELETE', `/api/collections/${id(i)}`, token));
    }
    const existing = median(imported);
    log(`  delete of an imported one (median of 3):       ${existing.toFixed(1).padStart(7)} ms`);

    const kept = all.slice(0, KEEP);
    const dropMs = await timed(port, 'PUT', '/api/collections/import', token, {
      collections: kept,
      deleteMissing: true,
    });
    const left = await request(port, 'GET', '/api/collections?perPage=1&filter=(system=false)', token);
    const totalItems = (JSON.parse(left.body) as { totalItems: number }).totalItems;
    log(`  import deleteMissing dropping ${TOTAL - KEEP - 3}:            ${dropMs.toFixed(0).padStart(7)} ms`);
    log(`  non-system collections left: ${totalItems} (expected ${KEEP})`);
  } finally {
    if (server) {
      await stop(server);
    }
    if (process.env.BENCH_KEEP_DIR !== '1') {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
