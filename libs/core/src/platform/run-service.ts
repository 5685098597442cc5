import { parseArgs } from 'node:util';
import type { DynamicModule } from '@nestjs/common';
import { ConfigError, loadConfig, type AppConfig } from '../config/app-config';
import type { AppOptions } from './bootstrap';
import { DependencyError } from './dependencies';
import { serve, UnusableDirError } from './serve';

/**
 * The `main.ts` of a split service: flags `--http`/`--dir` (or `NB_HTTP`/`NB_DIR`), then `serve`.
 * Configuration problems print one line and exit 2.
 */
export function runService(
  name: string,
  module: (config: AppConfig) => DynamicModule,
  defaultHttp: string,
  options: (config: AppConfig) => AppOptions = () => ({}),
): void {
  const start = async () => {
    const { values } = parseArgs({
      args: process.argv.slice(2),
      options: {
        http: { type: 'string' },
        dir: { type: 'string' },
        publicDir: { type: 'string' },
        records: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
    });
    if (values.help) {
      process.stdout.write(
        serviceUsage(name, defaultHttp, ['http', 'dir', 'publicDir', ...(name === 'realtime' ? ['records'] : [])]),
      );
      return;
    }
    delete values.help;
    const config = loadConfig({ NB_HTTP: defaultHttp, ...process.env }, values);
    await serve(module(config), config, `nestbase ${name}`, options(config));
  };
  start().catch((error: unknown) => exitOnStartFailure(error));
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
