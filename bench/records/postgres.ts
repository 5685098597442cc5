import { Client } from 'pg';
import { PostgresServer, postgresBinDir } from '@lib/testing';
import type { BenchUser } from './seed';

/**
 * `BENCH_DB=postgres`: nestbase on a throwaway PostgreSQL (libs/testing's PostgresServer: initdb into a temp dir,
 * a free port, fsync off as in the tests), seeded like the SQLite run, and the raw baseline (Fastify + node-postgres)
 * on a copy of the seeded database. Parse Server's figures on the same workload are in report.ts.
 */
export async function startBenchPostgres(): Promise<PostgresServer> {
  if (!postgresBinDir()) {
    throw new Error('BENCH_DB=postgres needs the PostgreSQL binaries under /usr/lib/postgresql');
  }
  return PostgresServer.start('nestbase_bench');
}

async function withClient<T>(url: string, fn: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** The seeded database copied as `name` (the baseline's own, so the two targets' creates don't meet). */
export async function copyPostgresDatabase(url: string, name: string): Promise<string> {
  const source = new URL(url);
  const admin = new URL(url);
  admin.pathname = '/postgres';
  await withClient(admin.toString(), (c) =>
    c.query(`CREATE DATABASE "${name}" TEMPLATE "${source.pathname.slice(1)}"`),
  );
  source.pathname = `/${name}`;
  return source.toString();
}

/**
 * `count` todos of `users[0]` (every second one completed) and `count / 10` of the others, interleaved in time,
 * as the SQLite seed writes them; returns the ids of the first 500 of `users[0]`.
 */
export async function insertTodosPostgres(url: string, users: BenchUser[], count: number): Promise<string[]> {
  const start = Date.parse('2024-01-01T00:00:00Z');
  const rows: [string, string, boolean, string, string][] = [];
  const viewIds: string[] = [];
  const total = count + Math.floor(count / 10);
  let mine = 0;
  for (let i = 0; i < total; i++) {
    const id = `t${String(i).padStart(14, '0')}`;
    const stamp = new Date(start + i * 61_000 + (i % 997)).toISOString().replace('T', ' ');
    const isMine = i % 11 < 10 && mine < count;
    const owner = isMine ? users[0].id : users[1 + (i % (users.length - 1))].id;
    const completed = isMine ? mine++ % 2 === 1 : i % 2 === 1;
    rows.push([id, `todo number ${i}`, completed, owner, stamp]);
    if (isMine && viewIds.length < 500) {
      viewIds.push(id);
    }
  }
  await withClient(url, async (c) => {
    await c.query(
      `INSERT INTO "todos" ("id", "title", "completed", "owner", "created", "updated")
       SELECT id, title, completed, owner, stamp, stamp
       FROM unnest($1::text[], $2::text[], $3::boolean[], $4::text[], $5::text[]) AS t(id, title, completed, owner, stamp)`,
      [0, 1, 2, 3, 4].map((k) => rows.map((r) => r[k])),
    );
    await c.query('ANALYZE "todos"');
  });
  return viewIds;
}
