import * as path from 'node:path';

import { observabilityFromEnv, type ObservabilityConfig } from './observability-env';
import { metricsFromEnv, type MetricsConfig } from './metrics-env';
import { s3FromEnv } from './s3-env';
import { uploadsFromEnv, type UploadsConfig } from './uploads-env';

/** The typed configuration every app reads. Built once by `loadConfig`, frozen, provided as `AppConfig`. */
export abstract class AppConfig {
  abstract readonly http: {
    readonly host: string;
    readonly port: number;
    readonly trustProxyHops: number;
    readonly timeouts: HttpTimeouts;
    /**
     * Open connections this process holds at most (Node's `server.maxConnections`, `NB_MAX_CONNECTIONS`): one
     * past it is closed as soon as it is accepted, so idle or slow clients can't exhaust descriptors and memory.
     */
    readonly maxConnections: number;
  };
  abstract readonly dataDir: string;
  abstract readonly publicDir: string;
  abstract readonly hooksDir: string;
  /**
   * `pb_migrations` (`--migrationsDir`/`NB_MIGRATIONS_DIR`, default `<dataDir>/../pb_migrations`) and whether
   * collection changes made through the API write migration files there (`--automigrate`/`NB_AUTOMIGRATE`).
   */
  abstract readonly migrations: { readonly dir: string; readonly auto: boolean };
  /**
   * `url`: `DATABASE_URL` / `--db` (`postgres://…` selects PostgreSQL; empty: SQLite `<dataDir>/data.db`).
   * `poolMax`: PostgreSQL connections per process (`NB_DB_POOL_MAX`).
   */
  abstract readonly db: { readonly busyTimeoutMs: number; readonly url: string; readonly poolMax: number };
  abstract readonly admin: { readonly email: string; readonly password: string };
  /** Request body limit in bytes (PocketBase: 32 MiB). */
  abstract readonly bodyLimit: number;
  abstract readonly bcryptCost: number;
  abstract readonly logLevel: 'silent' | 'error' | 'warn' | 'info' | 'debug';
  /** Log format, the access log, traces (`NB_LOG_FORMAT`, `NB_ACCESS_LOG`, `OTEL_*`). */
  abstract readonly observability: ObservabilityConfig;
  /** S3 file storage from the environment (`S3_*`); used when the settings' `s3.enabled` is off. */
  abstract readonly s3: S3Config;
  /** Redis for the event bus across processes (`REDIS_URL`); empty: the in-process bus. */
  /** `REDIS_URL`, and how long start-up waits for it to answer (`NB_REDIS_WAIT_MS`). */
  abstract readonly redis: { readonly url: string; readonly waitMs: number };
  /**
   * The records service a realtime process without a database asks (`--records`/`NB_RECORDS_URL`; '' for none),
   * and how long its start waits for that service to answer (`NB_RECORDS_WAIT_MS`).
   */
  abstract readonly records: { readonly url: string; readonly waitMs: number };
  /** Shared secret of the services' internal endpoints (`NB_INTERNAL_SECRET`); '' disables them. */
  abstract readonly internal: { readonly secret: string };
  /** The gateway's upstreams and edge policies (`NB_UPSTREAM_*`, `NB_RATE_LIMIT_*`, `NB_ACCESS_LOG`). */
  abstract readonly gateway: GatewayConfig;
  /** What one request may cost (`NB_QUERY_TIMEOUT_MS`, `NB_READ_WORKERS`, `NB_MAX_EXPAND_RECORDS`, `NB_MAX_RESPONSE_BYTES`, `NB_SLOW_LIST_MS`). */
  abstract readonly cost: CostLimits;
  /** Which queued jobs this process works on (`NB_JOB_WORKERS`) and BullMQ's lock (`NB_JOB_LOCK_MS`). */
  abstract readonly jobs: { readonly workers: readonly string[] | '*'; readonly lockMs: number };
  /** Test servers only: a file holding a clock offset in ms (`NB_TEST_CLOCK_FILE`, see OffsetFileClock); ''. */
  abstract readonly testClockFile: string;
  /** OAuth2 sign-in (`PB_ID_TOKEN_LEEWAY`, `NB_OAUTH2_AVATAR_ALLOW_LOOPBACK`). */
  abstract readonly oauth2: OAuth2Config;
  /** `GET /metrics` (`NB_METRICS`, `NB_METRICS_TOKEN`). */
  abstract readonly metrics: MetricsConfig;
  /** The upload journal's sweep of interrupted writes (`NB_UPLOAD_JOURNAL_GRACE_MS`, `NB_UPLOAD_SWEEP_INTERVAL_MS`). */
  abstract readonly uploads: UploadsConfig;
}

export interface OAuth2Config {
  /** Clock skew allowed on id_token `exp`/`iat`/`nbf`, in seconds (PocketBase's `PB_ID_TOKEN_LEEWAY`, default 300). */
  readonly idTokenLeewaySec: number;
  /**
   * Test/dev only: lets the OAuth2 avatar download reach loopback addresses (127.0.0.0/8, ::1), e.g. a local
   * mock provider. Off by default; private, link-local and other reserved ranges stay refused either way.
   */
  readonly avatarAllowLoopback: boolean;
}

export interface CostLimits {
  /** Time limit of one read statement; past it the statement is stopped and the request gets a 400 (0: none). */
  readonly queryTimeoutMs: number;
  /** Worker threads (own read-only connections) that run list/count queries and their expands off the event loop. */
  readonly readWorkers: number;
  /** Records `expand` may add to one answer (past it: 400). */
  readonly maxExpandRecords: number;
  /** Bytes of one JSON answer (past it: 400). */
  readonly maxResponseBytes: number;
  /** A list this slow leaves an index advisor warning in the app logs (`NB_SLOW_LIST_MS`; 0: every list, -1: never). */
  readonly slowListMs: number;
}

/**
 * How long a connection may make the server wait (`NB_HTTP_*`): every process and the gateway apply them.
 * Long-lived SSE and WebSocket connections are exempt from `idleMs` (they have their own idle limits).
 */
export interface HttpTimeouts {
  /** The request line and headers must arrive within this (Node's `headersTimeout`). */
  readonly headersMs: number;
  /** The whole request, body included, must arrive within this (Node's `requestTimeout`); 0 = no total limit. */
  readonly requestMs: number;
  /**
   * A connection with no traffic either way for this long is closed (Node's `server.timeout`): a silent new
   * connection, or a client that stops reading a response. Not while a request is being handled.
   */
  readonly idleMs: number;
  /** An idle keep-alive connection between two requests is closed after this (Node's `keepAliveTimeout`). */
  readonly keepAliveMs: number;
  /** A request body must arrive at no less than this many bytes per second, averaged over `bodyWindowMs`. */
  readonly bodyMinBytesPerSec: number;
  readonly bodyWindowMs: number;
}

/** The services the gateway routes to. */
export const UPSTREAM_SERVICES = ['records', 'auth', 'files', 'realtime'] as const;
export type UpstreamService = (typeof UPSTREAM_SERVICES)[number];

export interface GatewayConfig {
  /** Base URLs per service (`NB_UPSTREAM_RECORDS=http://records:8090,http://10.0.0.7:8090`); each host is resolved to all its addresses. */
  readonly upstreams: Readonly<Record<UpstreamService, readonly string[]>>;
  /** Requests per client IP per window, shared through Redis when `REDIS_URL` is set; 0 turns it off. */
  readonly rateLimit: { readonly max: number; readonly windowMs: number };
  /** One line per request on stdout. */
  readonly accessLog: boolean;
  /** API requests proxied straight off the TCP connection, not through Node's HTTP server and Fastify. */
  readonly fastPath: boolean;
  /** How often the gateway asks each upstream address for `/readyz`. */
  readonly healthIntervalMs: number;
  /** Connecting to an upstream address longer than this: the next address is tried (never reached, so safe). */
  readonly connectTimeoutMs: number;
  /** An upstream that sends no response headers within this after the request: 504. */
  readonly responseTimeoutMs: number;
}

export interface S3Config {
  /** True when `S3_BUCKET` is set. */
  readonly enabled: boolean;
  readonly endpoint: string;
  readonly bucket: string;
  readonly region: string;
  readonly accessKey: string;
  readonly secret: string;
  readonly forcePathStyle: boolean;
}

export class ConfigError extends Error {}

/** Values given on the command line; they win over the environment. */
export interface ConfigOverrides {
  http?: string;
  dir?: string;
  publicDir?: string;
  hooksDir?: string;
  records?: string;
  migrationsDir?: string;
  automigrate?: boolean;
  /** `--db`: a `postgres://` URL (DATABASE_URL). */
  db?: string;
  /** `--queryTimeout`: seconds (NB_QUERY_TIMEOUT_MS). */
  queryTimeout?: string;
}

type Env = Record<string, string | undefined>;

function parseHostPort(value: string, key: string, problems: string[]): { host: string; port: number } {
  const match = /^(.*):(\d{1,5})$/.exec(value);
  const port = match ? Number(match[2]) : NaN;
  if (!match || port > 65535) {
    problems.push(`${key} must be host:port, got "${value}"`);
    return { host: '127.0.0.1', port: 8090 };
  }
  return { host: match[1] || '127.0.0.1', port };
}

function parseInt(env: Env, key: string, fallback: number, min: number, max: number, problems: string[]): number {
  const raw = env[key];
  if (raw === undefined || raw === '') {
    return fallback;
  }
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) {
    problems.push(`${key} must be an integer in ${min}..${max}, got "${raw}"`);
    return fallback;
  }
  return n;
}

/**
 * Validates the configuration once at boot: CLI overrides > environment (`NB_*`, `PB_ADMIN_*`) >
 * defaults. Throws one `ConfigError` naming every bad key.
 */
export function loadConfig(env: Env, overrides: ConfigOverrides = {}): AppConfig {
  const problems: string[] = [];
  const http = {
    ...parseHostPort(overrides.http ?? env.NB_HTTP ?? '127.0.0.1:8090', '--http/NB_HTTP', problems),
    // Proxies in front of this process whose X-Forwarded-For entries are trusted (1 behind the gateway).
    trustProxyHops: parseInt(env, 'NB_TRUST_PROXY_HOPS', 0, 0, 10, problems),
    timeouts: httpTimeouts(env, problems),
    maxConnections: parseInt(env, 'NB_MAX_CONNECTIONS', 10_000, 1, 1_000_000, problems),
  };
  const dataDir = path.resolve(overrides.dir ?? env.NB_DIR ?? './pb_data');
  const logLevel = env.NB_LOG_LEVEL ?? 'warn';
  if (!['silent', 'error', 'warn', 'info', 'debug'].includes(logLevel)) {
    problems.push(`NB_LOG_LEVEL must be silent|error|warn|info|debug, got "${logLevel}"`);
  }
  const config = {
    http,
    dataDir,
    publicDir: path.resolve(overrides.publicDir ?? env.NB_PUBLIC_DIR ?? './pb_public'),
    hooksDir: path.resolve(overrides.hooksDir ?? env.NB_HOOKS_DIR ?? './pb_hooks'),
    migrations: {
      dir: path.resolve(overrides.migrationsDir ?? env.NB_MIGRATIONS_DIR ?? path.join(dataDir, '..', 'pb_migrations')),
      auto: overrides.automigrate ?? flag(env, 'NB_AUTOMIGRATE', false, problems),
    },
    db: {
      busyTimeoutMs: parseInt(env, 'DB_BUSY_TIMEOUT_MS', 10000, 0, 600000, problems),
      url: databaseUrl(overrides.db ?? env.DATABASE_URL ?? '', problems),
      poolMax: parseInt(env, 'NB_DB_POOL_MAX', 10, 1, 1000, problems),
    },
    admin: adminPair(env, problems),
    bodyLimit: parseInt(env, 'NB_BODY_LIMIT', 32 * 1024 * 1024, 1024, 2 ** 31, problems),
    bcryptCost: parseInt(env, 'NB_BCRYPT_COST', 10, 4, 31, problems),
    logLevel: logLevel as AppConfig['logLevel'],
    observability: observabilityFromEnv(
      env,
      flag(env, 'NB_ACCESS_LOG', true, []),
      process.stdout.isTTY === true,
      problems,
    ),
    s3: s3FromEnv(env, problems),
    redis: {
      url: redisUrl(env.REDIS_URL ?? '', problems),
      waitMs: parseInt(env, 'NB_REDIS_WAIT_MS', 30_000, 0, 600_000, problems),
    },
    ...internalServices(
      overrides.records ?? env.NB_RECORDS_URL ?? '',
      env.NB_INTERNAL_SECRET ?? '',
      parseInt(env, 'NB_RECORDS_WAIT_MS', 30_000, 0, 600_000, problems),
      problems,
    ),
    gateway: {
      upstreams: upstreams(env, problems),
      rateLimit: {
        max: parseInt(env, 'NB_RATE_LIMIT_MAX', 0, 0, 1_000_000, problems),
        windowMs: parseInt(env, 'NB_RATE_LIMIT_WINDOW_MS', 60_000, 100, 86_400_000, problems),
      },
      accessLog: flag(env, 'NB_ACCESS_LOG', true, problems),
      fastPath: flag(env, 'NB_GATEWAY_FAST_PATH', true, problems),
      healthIntervalMs: parseInt(env, 'NB_UPSTREAM_HEALTH_INTERVAL_MS', 2000, 100, 600_000, problems),
      connectTimeoutMs: parseInt(env, 'NB_UPSTREAM_CONNECT_TIMEOUT_MS', 5000, 100, 600_000, problems),
      responseTimeoutMs: parseInt(env, 'NB_UPSTREAM_RESPONSE_TIMEOUT_MS', 600_000, 100, 86_400_000, problems),
    },
    cost: {
      queryTimeoutMs: queryTimeoutMs(env, overrides.queryTimeout, problems),
      readWorkers: parseInt(env, 'NB_READ_WORKERS', 2, 0, 64, problems),
      maxExpandRecords: parseInt(env, 'NB_MAX_EXPAND_RECORDS', 20_000, 1, 10_000_000, problems),
      maxResponseBytes: parseInt(env, 'NB_MAX_RESPONSE_BYTES', 64 * 1024 * 1024, 1024, 2 ** 31, problems),
      slowListMs: parseInt(env, 'NB_SLOW_LIST_MS', 100, -1, 3_600_000, problems),
    },
    jobs: {
      workers: jobWorkers(env.NB_JOB_WORKERS ?? '*', problems),
      lockMs: parseInt(env, 'NB_JOB_LOCK_MS', 30_000, 1000, 3_600_000, problems),
    },
    testClockFile: env.NB_TEST_CLOCK_FILE ? path.resolve(env.NB_TEST_CLOCK_FILE) : '',
    oauth2: {
      idTokenLeewaySec: parseInt(env, 'PB_ID_TOKEN_LEEWAY', 300, 0, 86_400, problems),
      avatarAllowLoopback: flag(env, 'NB_OAUTH2_AVATAR_ALLOW_LOOPBACK', false, problems),
    },
    metrics: metricsFromEnv(env, problems),
    uploads: uploadsFromEnv(env, parseInt, problems),
  };
  if (problems.length > 0) {
    throw new ConfigError(problems.join('; '));
  }
  return deepFreeze(config);
}

/** `loadConfig` over this process's environment (for apps and library use that have no env of their own). */
export function loadProcessConfig(overrides: ConfigOverrides = {}, defaults: Env = {}): AppConfig {
  return loadConfig({ ...defaults, ...process.env }, overrides);
}

function httpTimeouts(env: Env, problems: string[]): HttpTimeouts {
  const hour = 3_600_000;
  const timeouts = {
    headersMs: parseInt(env, 'NB_HTTP_HEADERS_TIMEOUT_MS', 20_000, 100, hour, problems),
    requestMs: parseInt(env, 'NB_HTTP_REQUEST_TIMEOUT_MS', 600_000, 0, 24 * hour, problems),
    idleMs: parseInt(env, 'NB_HTTP_IDLE_TIMEOUT_MS', 60_000, 100, 24 * hour, problems),
    keepAliveMs: parseInt(env, 'NB_HTTP_KEEP_ALIVE_TIMEOUT_MS', 72_000, 100, hour, problems),
    bodyMinBytesPerSec: parseInt(env, 'NB_HTTP_BODY_MIN_RATE', 1024, 0, 2 ** 30, problems),
    bodyWindowMs: parseInt(env, 'NB_HTTP_BODY_RATE_WINDOW_MS', 15_000, 100, hour, problems),
  };
  if (timeouts.requestMs > 0 && timeouts.requestMs < timeouts.headersMs) {
    problems.push('NB_HTTP_REQUEST_TIMEOUT_MS must be 0 or at least NB_HTTP_HEADERS_TIMEOUT_MS');
  }
  return timeouts;
}

function internalServices(records: string, secret: string, waitMs: number, problems: string[]) {
  // Several comma-separated: the client fails over between them (replicas of records, each addressed on its own).
  if (records !== '' && !records.split(',').every((url) => /^https?:\/\/[^\s,]+$/.test(url.trim()))) {
    problems.push(
      `--records/NB_RECORDS_URL must be http(s)://host:port (or several, comma-separated), got "${records}"`,
    );
  }
  if (secret !== '' && secret.length < 16) {
    problems.push('NB_INTERNAL_SECRET must be at least 16 characters');
  }
  if (records !== '' && secret === '') {
    problems.push('--records/NB_RECORDS_URL needs NB_INTERNAL_SECRET (the records service must share it)');
  }
  const url = records
    .split(',')
    .map((one) => one.trim().replace(/\/+$/, ''))
    .join(',');
  return { records: { url, waitMs }, internal: { secret } };
}

function upstreams(env: Env, problems: string[]): Record<UpstreamService, string[]> {
  const result = {} as Record<UpstreamService, string[]>;
  for (const service of UPSTREAM_SERVICES) {
    const key = `NB_UPSTREAM_${service.toUpperCase()}`;
    const urls = (env[key] ?? '')
      .split(',')
      .map((url) => url.trim().replace(/\/+$/, ''))
      .filter((url) => url !== '');
    for (const url of urls) {
      if (!/^http:\/\/[^\s/]+$/.test(url)) {
        problems.push(`${key} must be a comma-separated list of http://host:port, got "${url}"`);
      }
    }
    result[service] = urls;
  }
  return result;
}

function flag(env: Env, key: string, fallback: boolean, problems: string[]): boolean {
  const raw = (env[key] ?? '').toLowerCase();
  if (raw === '') {
    return fallback;
  }
  if (!['1', '0', 'true', 'false'].includes(raw)) {
    problems.push(`${key} must be true or false, got "${env[key]}"`);
    return fallback;
  }
  return raw === '1' || raw === 'true';
}

/** The jobs nestbase queues (mail, file deletion after a record change, cron ticks: `cron.run.<cron>`). */
export const JOB_NAMES = ['mail.send', 'files.delete', 'cron.run'] as const;

function jobWorkers(raw: string, problems: string[]): string[] | '*' {
  const names = raw
    .split(',')
    .map((name) => name.trim())
    .filter((name) => name !== '');
  const unknown = names.filter(
    (name) => name !== '*' && !(JOB_NAMES as readonly string[]).includes(name) && !name.startsWith('cron.run.'),
  );
  if (unknown.length > 0) {
    problems.push(
      `NB_JOB_WORKERS names unknown jobs (${unknown.join(', ')}): use * or some of ${JOB_NAMES.join(', ')}`,
    );
  }
  return names.includes('*') ? '*' : names;
}

/** `PB_ADMIN_EMAIL` and `PB_ADMIN_PASSWORD` go together: one without the other would be ignored. */
function adminPair(env: Env, problems: string[]): { email: string; password: string } {
  const email = env.PB_ADMIN_EMAIL ?? '';
  const password = env.PB_ADMIN_PASSWORD ?? '';
  if ((email === '') !== (password === '')) {
    problems.push(
      `${email === '' ? 'PB_ADMIN_PASSWORD' : 'PB_ADMIN_EMAIL'} is set without ${email === '' ? 'PB_ADMIN_EMAIL' : 'PB_ADMIN_PASSWORD'}: set both or neither`,
    );
  }
  return { email, password };
}

function databaseUrl(value: string, problems: string[]): string {
  if (value !== '' && !/^postgres(ql)?:\/\/[^\s]+$/.test(value)) {
    problems.push(`DATABASE_URL/--db must be postgres://user:password@host:port/database, got "${value}"`);
    return '';
  }
  return value;
}

/** `--queryTimeout` in seconds (as PocketBase's flag) wins over NB_QUERY_TIMEOUT_MS. */
function queryTimeoutMs(env: Env, seconds: string | undefined, problems: string[]): number {
  if (seconds === undefined) {
    return parseInt(env, 'NB_QUERY_TIMEOUT_MS', 5000, 0, 3_600_000, problems);
  }
  const n = Number(seconds);
  if (seconds.trim() === '' || !Number.isFinite(n) || n < 0 || n > 3600) {
    problems.push(`--queryTimeout must be seconds in 0..3600, got "${seconds}"`);
    return 5000;
  }
  return Math.round(n * 1000);
}

function redisUrl(value: string, problems: string[]): string {
  if (value !== '' && !/^rediss?:\/\/[^\s]+$/.test(value)) {
    problems.push(`REDIS_URL must be redis://host:port[/db] or rediss://…, got "${value}"`);
    return '';
  }
  return value;
}

function deepFreeze<T extends object>(value: T): T {
  for (const child of Object.values(value)) {
    if (child && typeof child === 'object') {
      deepFreeze(child as object);
    }
  }
  return Object.freeze(value);
}
