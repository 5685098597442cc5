import { parseArgs } from 'node:util';
import type { DynamicModule } from '@nestjs/common';
import { ConfigError, loadConfig, type AppConfig } from '../config/app-config';
import type { AppOptions } from './bootstrap';
import { DependencyError } from './dependencies';
import { setProcessService } from './observability/log';
import { serve, UnusableDirError } from './serve';

/** Flags every service takes (`NB_*` variables otherwise). */
const COMMON_FLAGS = {
  http: { type: 'string' },
  dir: { type: 'string' },
  publicDir: { type: 'string' },
  records: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

type FlagSpec = Record<string, { type: 'string' | 'boolean'; short?: string }>;
type FlagValues = Record<string, string | boolean | undefined>;

/**
 * How a service starts beyond the plain `serve` (the records and auth services: with their `pb_hooks`, see
 * `hooksRunner` of the hooks lib): its extra flags, their help lines, and the start itself.
 */
export interface ServiceRunner {
  /** Extra flags (`parseArgs` options) and the `serviceUsage` names of those shown in `--help`. */
  readonly flags: FlagSpec;
  readonly help: readonly string[];
  /** Starts the service; `flags` are the extra flags given. */
  start(
    module: (config: AppConfig) => DynamicModule,
    config: AppConfig,
    flags: FlagValues,
    name: string,
  ): Promise<void>;
  /** Errors that are usage (one line, exit 2) or known failures (one line, exit 1). */
  readonly usageError?: (error: unknown) => boolean;
  readonly knownError?: (error: unknown) => boolean;
}

export interface ServiceSpec {
  /** `gateway`, `records`…: the command, the log lines' `service`, the traces' `service.name` suffix. */
  name: string;
  module: (config: AppConfig) => DynamicModule;
  /** Where it listens without `--http`/`NB_HTTP`. */
  defaultHttp: string;
  /** App options from the configuration (the gateway serves `pb_public`; realtime may run without data). */
  options?: (config: AppConfig) => AppOptions;
  /** A start other than `serve` (with hooks); its flags are added to the common ones. */
  runner?: ServiceRunner;
}

/**
 * The one process entry of the split services (each `main.ts` is a call to it): flags `--http`/`--dir`/
 * `--publicDir`/`--records` (or `NB_HTTP`/`NB_DIR`/…) plus the runner's, `--help`, the configuration, the
 * structured log named after the service, then `serve` (or the runner's start). Configuration problems print
 * one line and exit 2.
 */
export function runService(spec: ServiceSpec): void {
  const { name, defaultHttp, runner } = spec;
  setProcessService(name);
  const start = async () => {
    const { values } = parseArgs({
      args: process.argv.slice(2),
      options: { ...COMMON_FLAGS, ...runner?.flags },
      strict: true,
    });
    if (values.help) {
      const flags = ['http', 'dir', 'publicDir', ...(name === 'realtime' ? ['records'] : []), ...(runner?.help ?? [])];
      process.stdout.write(serviceUsage(name, defaultHttp, flags));
      return;
    }
    const { help: _help, ...given } = values as FlagValues;
    const extra = Object.fromEntries(Object.entries(given).filter(([key]) => !(key in COMMON_FLAGS)));
    // (the runner's flags that are configuration, `--hooksDir`, `--migrationsDir`…, are overrides too)
    const config = loadConfig({ NB_HTTP: defaultHttp, ...process.env }, given);
    if (runner) {
      await runner.start(spec.module, config, extra, `nestbase ${name}`);
    } else {
      await serve(spec.module(config), config, `nestbase ${name}`, spec.options?.(config));
    }
  };
  start().catch((error: unknown) => exitOnStartFailure(error, runner?.usageError, runner?.knownError));
}

/**
 * How a service that failed to start leaves: bad configuration or usage (and what `usage` adds) is one
 * `Error:` line and exit 2; an unreachable dependency (and what `known` adds: a failed migration) one line and
 * exit 1; anything else its stack and exit 1.
 */
export function exitOnStartFailure(
  error: unknown,
  usage: (error: unknown) => boolean = () => false,
  known: (error: unknown) => boolean = () => false,
): never {
  const isUsage =
    usage(error) ||
    error instanceof ConfigError ||
    error instanceof UnusableDirError ||
    ((error as { code?: unknown })?.code as string | undefined)?.startsWith?.('ERR_PARSE_ARGS') === true;
  const text = error instanceof Error ? error.message : String(error);
  const oneLine = isUsage || error instanceof DependencyError || known(error);
  process.stderr.write(
    `Error: ${oneLine ? text.split('\n')[0] : error instanceof Error ? (error.stack ?? text) : text}\n`,
  );
  process.exit(isUsage ? 2 : 1);
}

const FLAG_HELP: Record<string, string> = {
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

/** `nestbase <service> --help`: the service's flags; the environment is in the README's Configuration. */
export function serviceUsage(name: string, defaultHttp: string, flags: string[]): string {
  return [
    `Usage: nestbase ${name} [flags]`,
    '',
    `Runs the ${name} service of the split deployment (listens on ${defaultHttp} by default).`,
    '',
    'Flags:',
    ...flags.map((flag) => `  ${FLAG_HELP[flag]}`),
    '  --help             this text',
    '',
    'Every setting is also an environment variable (NB_*, PB_ADMIN_*, REDIS_URL, S3_*): see the README, "Configuration".',
    '',
  ].join('\n');
}
