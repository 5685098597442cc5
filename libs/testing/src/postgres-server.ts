// A throw-away PostgreSQL for tests: `initdb` into a temp dir and `postgres` on a free 127.0.0.1 port (its
// socket in the temp dir too), from the Debian binaries in /usr/lib/postgresql/<version>/bin. As root the
// server runs as the `postgres` user (initdb refuses root). Never the machine's own instance on 5432.
// The server is a child of the test process (not daemonized), so the test runner's process-group kill ends
// it with the file; `stop` shuts it down and removes the directory. Every wait is bounded.
import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import type { Client as PgClient } from 'pg';

import { STARTUP_CEILING_MS } from './ceilings';
import { freePort } from './free-port';

/** node-postgres, loaded when a test first uses PostgreSQL (not by every test process that imports @lib/testing). */
async function pgClient(connectionString: string): Promise<PgClient> {
  const { Client } = await import('pg');
  return new Client({ connectionString });
}

const PG_ROOT = '/usr/lib/postgresql';

/** The bin directory of the newest installed PostgreSQL, or undefined when none is installed. */
export function postgresBinDir(): string | undefined {
  if (!existsSync(PG_ROOT)) {
    return undefined;
  }
  const versions = readdirSync(PG_ROOT)
    .filter((v) => existsSync(join(PG_ROOT, v, 'bin', 'postgres')))
    .sort((a, b) => Number(b) - Number(a));
  return versions.length > 0 ? join(PG_ROOT, versions[0], 'bin') : undefined;
}

/** uid/gid of the `postgres` user when running as root (initdb and postgres refuse to run as root). */
function runAs(): { uid: number; gid: number } | undefined {
  if (typeof process.getuid !== 'function' || process.getuid() !== 0) {
    return undefined;
  }
  const uid = Number(execFileSync('id', ['-u', 'postgres']).toString().trim());
  const gid = Number(execFileSync('id', ['-g', 'postgres']).toString().trim());
  return { uid, gid };
}

/**
 * A new, empty database on the server `serverUrl` points at (a `PostgresServer` a test runner started): its URL,
 * and `drop` to remove it (connections closed first).
 */
export async function freshPostgresDatabase(serverUrl: string): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `nb_${process.pid}_${Math.random().toString(36).slice(2, 10)}`;
  const admin = async (sql: string): Promise<void> => {
    const client = await pgClient(serverUrl);
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };
  await admin(`CREATE DATABASE "${name}" TEMPLATE template0 ENCODING 'UTF8'`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: () => admin(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`).catch(() => undefined),
  };
}

export class PostgresServer {
  private stopped = false;

  private constructor(
    private readonly child: ChildProcess,
    private readonly dir: string,
    readonly port: number,
    /** The test database's connection URL (user `postgres`, trust authentication on 127.0.0.1). */
    readonly url: string,
    private readonly unhook: () => void,
  ) {}

  /** initdb, start, wait until it accepts connections, create database `database`. */
  static async start(database = 'nestbase_test', timeoutMs = STARTUP_CEILING_MS): Promise<PostgresServer> {
    const bin = postgresBinDir();
    if (!bin) {
      throw new Error(`no PostgreSQL binaries under ${PG_ROOT}`);
    }
    const owner = runAs();
    const dir = mkdtempSync(join(tmpdir(), 'nb-pg-'));
    const data = join(dir, 'data');
    if (owner) {
      chownSync(dir, owner.uid, owner.gid);
    }
    chmodSync(dir, 0o700);
    const asOwner = { ...(owner ?? {}), env: { ...process.env, LC_ALL: 'C.UTF-8', HOME: dir } };
    try {
      execFileSync(
        join(bin, 'initdb'),
        ['-D', data, '-U', 'postgres', '-A', 'trust', '-E', 'UTF8', '--locale=C.UTF-8', '--no-sync'],
        { ...asOwner, stdio: 'pipe', timeout: timeoutMs },
      );
    } catch (err) {
      rmSync(dir, { recursive: true, force: true });
      throw new Error(`initdb failed: ${String((err as { stderr?: Buffer }).stderr ?? err)}`, { cause: err });
    }
    const port = await freePort();
    const settings = ['fsync=off', 'synchronous_commit=off', 'full_page_writes=off', 'max_connections=40'];
    const child = spawn(
      join(bin, 'postgres'),
      ['-D', data, '-p', String(port), '-h', '127.0.0.1', '-k', dir, ...settings.flatMap((s) => ['-c', s])],
      { ...asOwner, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let output = '';
    child.stdout?.on('data', (c: Buffer) => (output += c.toString()));
    child.stderr?.on('data', (c: Buffer) => (output += c.toString()));
    const kill = (): void => {
      child.kill('SIGQUIT');
      rmSync(dir, { recursive: true, force: true });
    };
    process.on('exit', kill);
    const unhook = (): void => {
      process.off('exit', kill);
    };
    const base = `postgres://postgres@127.0.0.1:${port}`;
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const client = await pgClient(`${base}/postgres`);
      try {
        await client.connect();
        await client.query(`CREATE DATABASE "${database}" TEMPLATE template0 ENCODING 'UTF8'`);
        await client.end();
        break;
      } catch (err) {
        await client.end().catch(() => undefined);
        if (child.exitCode !== null || Date.now() > deadline) {
          kill();
          unhook();
          throw new Error(`PostgreSQL did not start on port ${port}: ${String(err)}\n${output}`, { cause: err });
        }
        await new Promise((r) => setTimeout(r, 25));
      }
    }
    return new PostgresServer(child, dir, port, `${base}/${database}`, unhook);
  }

  /** Fast shutdown, then the data directory is removed. Idempotent. */
  async stop(): Promise<void> {
    if (this.stopped) {
      return;
    }
    this.stopped = true;
    if (this.child.exitCode === null && this.child.signalCode === null) {
      const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
      this.child.kill('SIGINT');
      const timer = setTimeout(() => this.child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    }
    this.unhook();
    rmSync(this.dir, { recursive: true, force: true });
  }
}
