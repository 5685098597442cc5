// The service set of docker-compose.yml as local processes: each nestbase service runs its compose
// command (`node bin/nestbase.js <command>`) with its compose environment, every replica on its own free
// port; a real redis-server and s3rver stand in for the `redis` and `minio` images. Host names in the
// environment (`redis://redis:6379`, `http://records:8090`, `http://minio:9000`) are rewritten to those
// local addresses (a service with replicas becomes the comma-separated list of its replicas), and the
// `/pb_data`, `/pb_hooks`, `/pb_public` volumes to temporary directories.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import {
  freePort,
  ManagedProcess,
  PostgresServer,
  repoRoot,
  startProcess,
  STARTUP_CEILING_MS,
  waitForHealth,
} from '@lib/testing';

import { RedisServer } from '../../e2e/support/redis-server';
import { startS3, TestS3 } from '../../e2e/support/s3-server';
import { ComposeService, NESTBASE_COMMANDS, POSTGRES_OVERRIDE, readCompose } from './compose-file';

export const SUPERUSER = { email: 'distributed@example.com', password: 'Distributed-Passw0rd' };
/** NB_INTERNAL_SECRET of every set: the tests call the services' internal endpoints with it. */
export const INTERNAL_SECRET = 'distributed-test-internal-secret';
const STARTUP_TIMEOUT_MS = STARTUP_CEILING_MS;

interface Replica {
  service: ComposeService;
  port: number;
  env: Record<string, string>;
  process?: ManagedProcess;
}

export interface ServiceSetOptions {
  /** Extra variables for the compose interpolation (the `.env` of `docker compose`). */
  vars?: Record<string, string>;
  /** The `pb_migrations` volume (records applies its files at start). */
  migrationsDir?: string;
  /** Written as the `pb_hooks` volume. */
  hooksDir?: string;
  /**
   * The PostgreSQL variant (docker-compose.postgres.yml over docker-compose.yml): a throwaway PostgreSQL
   * (libs/testing's PostgresServer) stands in for the `postgres` image and every DATABASE_URL points at it.
   */
  postgres?: boolean;
}

export class ServiceSet {
  private readonly replicas: Replica[] = [];
  private readonly dirs: string[] = [];
  private redis?: RedisServer;
  private s3?: TestS3;
  private postgres?: PostgresServer;

  /** The PostgreSQL variant's database ('' on SQLite). */
  get postgresUrl(): string {
    return this.postgres?.url ?? '';
  }

  /** The gateway's address: the one published port. */
  gatewayUrl = '';
  /** The clock offset file every service reads (NB_TEST_CLOCK_FILE): the suite files move time through it. */
  clockFile = '';
  /** The local directory standing in for the `/pb_data` volume (the services' shared SQLite database and files). */
  dataDir = '';

  async start(options: ServiceSetOptions = {}): Promise<void> {
    const services = readCompose(
      {
        PB_ADMIN_EMAIL: SUPERUSER.email,
        PB_ADMIN_PASSWORD: SUPERUSER.password,
        NB_INTERNAL_SECRET: INTERNAL_SECRET,
        // The MinIO root user (required by the compose file); s3rver stands in for MinIO with its own (localEnv).
        MINIO_ROOT_USER: 'distributed-minio',
        MINIO_ROOT_PASSWORD: 'distributed-minio-secret',
        POSTGRES_PASSWORD: 'distributed-postgres-secret',
        ...options.vars,
      },
      options.postgres ? [POSTGRES_OVERRIDE] : [],
    );
    if (options.postgres) {
      this.postgres = await PostgresServer.start('nestbase');
    }
    this.redis = await RedisServer.start();
    this.s3 = await startS3();
    const volumes: Record<string, string> = {
      '/pb_data': (this.dataDir = this.tempDir('nestbase-dist-data-')),
      '/pb_hooks': options.hooksDir ?? this.tempDir('nestbase-dist-hooks-'),
      '/pb_public': this.tempDir('nestbase-dist-public-'),
      '/pb_migrations': options.migrationsDir ?? this.tempDir('nestbase-dist-migrations-'),
    };
    const nestbase = services.filter((s) => (NESTBASE_COMMANDS as readonly string[]).includes(s.command[0]));
    for (const service of nestbase) {
      for (let i = 0; i < service.replicas; i++) {
        this.replicas.push({ service, port: await freePort(), env: {} });
      }
    }
    this.clockFile = join(this.tempDir('nestbase-dist-clock-'), 'offset');
    const hosts = this.hostMap();
    for (const replica of this.replicas) {
      replica.env = this.localEnv(replica, hosts, volumes);
    }
    for (const service of nestbase) {
      await Promise.all(this.of(service.name).map((replica) => this.launch(replica)));
    }
    const gateway = this.of('gateway')[0];
    if (!gateway) {
      throw new Error('docker-compose.yml declares no gateway service');
    }
    this.gatewayUrl = `http://127.0.0.1:${gateway.port}`;
  }

  /** The replicas of a compose service. */
  of(name: string): Replica[] {
    return this.replicas.filter((replica) => replica.service.name === name);
  }

  /** `http://127.0.0.1:<port>` of one replica. */
  url(name: string, index = 0): string {
    return `http://127.0.0.1:${this.of(name)[index].port}`;
  }

  /** SIGKILLs one replica (no clean shutdown: a crash). */
  async kill(name: string, index = 0): Promise<void> {
    const replica = this.of(name)[index];
    await replica.process?.stop('SIGKILL');
  }

  /** Starts a killed replica again on its port with its environment, healthy on return. */
  async restart(name: string, index = 0): Promise<void> {
    await this.launch(this.of(name)[index]);
  }

  /** `backups.s3` settings for the set's S3 server (its own bucket). */
  backupsS3(): Record<string, unknown> {
    return this.s3!.backupSettings;
  }

  /** Keys stored in the set's S3 bucket under `prefix`. */
  s3Keys(prefix: string): string[] {
    return this.s3!.keys(prefix);
  }

  /**
   * One upload journal sweep on a replica of `name` (`POST /api/_internal/upload-journal/sweep`) with `graceMs`:
   * 0 settles every note, so only when no write is under way.
   */
  async sweepUploads(graceMs: number, name = 'records', index = 0): Promise<Record<string, number>> {
    const res = await fetch(`${this.url(name, index)}/api/_internal/upload-journal/sweep`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-nestbase-internal': INTERNAL_SECRET },
      body: JSON.stringify({ graceMs }),
    });
    const text = await res.text();
    if (res.status !== 200) {
      throw new Error(`upload journal sweep on ${name} ${index}: ${res.status} ${text}`);
    }
    return JSON.parse(text) as Record<string, number>;
  }

  /** Output of every replica (for failure messages). */
  logs(): string {
    return this.replicas
      .map(
        (r) =>
          `--- ${r.service.name}:${r.port}\n${r.process?.stdout().slice(-1500)}${r.process?.stderr().slice(-3000)}`,
      )
      .join('\n');
  }

  async stop(): Promise<void> {
    const running = this.replicas.flatMap((replica) => (replica.process ? [replica.process] : []));
    await Promise.allSettled(running.map((proc) => proc.stop('SIGTERM', 10_000)));
    await this.redis?.stop();
    await this.s3?.stop();
    await this.postgres?.stop();
    for (const dir of this.dirs) {
      rmSync(dir, { recursive: true, force: true });
    }
  }

  private async launch(replica: Replica): Promise<void> {
    const bin = join(repoRoot(), 'bin', 'nestbase.js');
    const proc = startProcess([bin, ...replica.service.command], { env: replica.env });
    replica.process = proc;
    // Ready as compose's `condition: service_healthy` means it: the image's health check, GET /readyz.
    const url = `http://127.0.0.1:${replica.port}`;
    await waitForHealth(url, STARTUP_TIMEOUT_MS, proc.child, () => `${proc.stdout()}\n${proc.stderr()}`, '/readyz');
  }

  /** `host:port` as the containers see them → the local addresses (all replicas) that stand in. */
  private hostMap(): Map<string, string[]> {
    const map = new Map<string, string[]>();
    map.set('redis:6379', [this.redis!.url.replace('redis://', '')]);
    map.set('minio:9000', [this.s3!.endpoint.replace('http://', '')]);
    for (const replica of this.replicas) {
      const listen = replica.service.environment.NB_HTTP ?? '';
      const key = `${replica.service.name}:${listen.split(':').pop()}`;
      map.set(key, [...(map.get(key) ?? []), `127.0.0.1:${replica.port}`]);
    }
    return map;
  }

  private localEnv(replica: Replica, hosts: Map<string, string[]>, volumes: Record<string, string>) {
    const env: Record<string, string> = {};
    for (const [key, value] of Object.entries(replica.service.environment)) {
      // A path of a volume the service doesn't mount is the container's own (the image's anonymous volume).
      const shared = value in volumes && replica.service.mounts.includes(value);
      let local = shared ? volumes[value] : value in volumes ? this.tempDir('nestbase-dist-own-') : value;
      for (const [host, addresses] of hosts) {
        const at = local.indexOf(`://${host}`);
        if (at !== -1) {
          const scheme = local.slice(0, at);
          local = addresses.map((address) => `${scheme}://${address}`).join(',');
        }
      }
      env[key] = local;
    }
    env.NB_HTTP = `127.0.0.1:${replica.port}`;
    env.NB_TEST_CLOCK_FILE = this.clockFile;
    if (env.S3_ENDPOINT) {
      // s3rver's fixed credentials and bucket instead of the MinIO root user and the created bucket.
      Object.assign(env, { S3_BUCKET: this.s3!.bucket, S3_ACCESS_KEY: 'S3RVER', S3_SECRET: 'S3RVER' });
    }
    if (env.DATABASE_URL) {
      // The throwaway server's trust-authenticated user instead of the compose file's `nestbase` and its password.
      env.DATABASE_URL = this.postgres!.url;
    }
    return env;
  }

  private tempDir(prefix: string): string {
    const dir = mkdtempSync(join(tmpdir(), prefix));
    this.dirs.push(dir);
    return dir;
  }
}
