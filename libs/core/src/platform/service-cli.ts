// The light part of a split service's command line: its flags, `--help` and flag errors. It imports nothing but
// node:util, so bin/nestbase.js answers `nestbase <service> --help` and a mistyped flag from here before it loads
// the service (NestJS, TypeORM, the libs: ~0.5 s of CPU for five lines of usage); runService parses with it too.
import { parseArgs } from 'node:util';

export type ServiceName = 'gateway' | 'auth' | 'records' | 'files' | 'realtime';

/** Flags every service takes (`NB_*` variables otherwise). */
const COMMON_FLAGS = {
  http: { type: 'string' },
  dir: { type: 'string' },
  publicDir: { type: 'string' },
  records: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** The flags of the services that run `pb_hooks` files (`hooksRunner` of the hooks lib reads them). */
const HOOKS_FLAGS = {
  hooksDir: { type: 'string' },
  dev: { type: 'boolean' },
  migrationsDir: { type: 'string' },
  automigrate: { type: 'boolean' },
} as const;

interface ServiceCli {
  /** Where it listens without `--http`/`NB_HTTP`. */
  readonly defaultHttp: string;
  /** Whether it takes the hooks flags (it starts through `hooksRunner`). */
  readonly hooks: boolean;
  /** The flags its `--help` lists (besides `--help`). */
  readonly help: readonly (keyof typeof FLAG_HELP)[];
}

const FLAG_HELP = {
  http: '--http ADDR        listen address (NB_HTTP)',
  dir: '--dir DIR          data directory (NB_DIR, default ./pb_data)',
  publicDir: '--publicDir DIR    static files served at / (NB_PUBLIC_DIR, default ./pb_public)',
  hooksDir: '--hooksDir DIR     pb_hooks files (NB_HOOKS_DIR, default ./pb_hooks)',
  dev: '--dev              reload the hooks when their files change',
  migrationsDir:
    '--migrationsDir DIR  migration files applied at start (NB_MIGRATIONS_DIR, default <dir>/../pb_migrations)',
  automigrate: '--automigrate      write a migration for each collection change made through the API (NB_AUTOMIGRATE)',
  records: '--records URL      realtime without a database: the records service to ask (NB_RECORDS_URL)',
};

const BASE = ['http', 'dir', 'publicDir'] as const;
const HOOKS = ['hooksDir', 'dev'] as const;

export const SERVICE_CLI: Readonly<Record<ServiceName, ServiceCli>> = {
  gateway: { defaultHttp: '127.0.0.1:8090', hooks: false, help: BASE },
  records: { defaultHttp: '127.0.0.1:8091', hooks: true, help: [...BASE, ...HOOKS, 'migrationsDir', 'automigrate'] },
  auth: { defaultHttp: '127.0.0.1:8092', hooks: true, help: [...BASE, ...HOOKS] },
  files: { defaultHttp: '127.0.0.1:8093', hooks: true, help: [...BASE, ...HOOKS] },
  realtime: { defaultHttp: '127.0.0.1:8094', hooks: true, help: [...BASE, 'records', ...HOOKS] },
};

export type ServiceFlags = Record<string, string | boolean | undefined>;

/** The service's flags from `argv` (throws Node's ERR_PARSE_ARGS_* errors on an unknown flag or an argument). */
export function parseServiceArgs(name: ServiceName, argv: string[]): ServiceFlags {
  const options = SERVICE_CLI[name].hooks ? { ...COMMON_FLAGS, ...HOOKS_FLAGS } : COMMON_FLAGS;
  return parseArgs({ args: argv, options, strict: true }).values;
}

/** Whether `key` is one of the flags every service takes (the others are the runner's). */
export function isCommonFlag(key: string): boolean {
  return key in COMMON_FLAGS;
}

/** `nestbase <service> --help`: the service's flags; the environment is in the README's Configuration. */
export function serviceUsage(name: ServiceName): string {
  const { defaultHttp, help } = SERVICE_CLI[name];
  return [
    `Usage: nestbase ${name} [flags]`,
    '',
    `Runs the ${name} service of the split deployment (listens on ${defaultHttp} by default).`,
    '',
    'Flags:',
    ...help.map((flag) => `  ${FLAG_HELP[flag]}`),
    '  --help             this text',
    '',
    'Every setting is also an environment variable (NB_*, PB_ADMIN_*, REDIS_URL, S3_*): see the README, "Configuration".',
    '',
  ].join('\n');
}

/**
 * What bin/nestbase.js asks before it loads a service: `--help` prints the usage, a bad flag or argument prints one
 * `Error:` line and exits 2 (as runService would, after loading the service); false when the service is to start.
 */
export function answeredWithoutService(name: ServiceName, argv: string[]): boolean {
  let flags: ServiceFlags;
  try {
    flags = parseServiceArgs(name, argv);
  } catch (error) {
    process.stderr.write(`Error: ${(error as Error).message.split('\n')[0]}\n`);
    process.exit(2);
  }
  if (flags.help) {
    process.stdout.write(serviceUsage(name));
    return true;
  }
  return false;
}
