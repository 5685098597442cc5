import { parseArgs } from 'node:util';
import { AppConfig, ConfigError, exitOnStartFailure, loadProcessConfig, serviceUsage } from '@lib/core';
import { HooksServer, type AppModuleFactory } from './hooks-server';
import { HooksLoadError } from './loader/hooks-loader';
import { MigrationError } from './migrations/migration-file';

/**
 * The `main.ts` of a split service that runs hooks (records: record hooks; auth: auth hooks): flags
 * `--http`, `--dir`, `--hooksDir`, `--dev` (or their `NB_*` variables), then the server with the
 * `pb_hooks` files loaded. Configuration and hooks-file problems print one line and exit 2. `migrate`
 * (records, which owns the schema): `--migrationsDir`, `--automigrate`, and the migrations applied at start
 * (a failing one prints one line and exits 1).
 */
export function runHooksService(
  name: string,
  module: AppModuleFactory,
  defaultHttp: string,
  {
    migrate = false,
    hooks = 'all',
    withoutDataDir = () => false,
  }: { migrate?: boolean; hooks?: 'all' | 'points'; withoutDataDir?: (config: AppConfig) => boolean } = {},
): void {
  const start = async () => {
    const { values } = parseArgs({
      args: process.argv.slice(2),
      options: {
        http: { type: 'string' },
        dir: { type: 'string' },
        publicDir: { type: 'string' },
        hooksDir: { type: 'string' },
        records: { type: 'string' },
        dev: { type: 'boolean' },
        migrationsDir: { type: 'string' },
        automigrate: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
    });
    if (values.help) {
      const flags = [
        'http',
        'dir',
        'publicDir',
        ...(name === 'realtime' ? ['records'] : []),
        'hooksDir',
        'dev',
        ...(migrate ? ['migrationsDir', 'automigrate'] : []),
      ];
      process.stdout.write(serviceUsage(name, defaultHttp, flags));
      return;
    }
    if (!migrate && (values.migrationsDir !== undefined || values.automigrate !== undefined)) {
      throw new ConfigError(
        '--migrationsDir and --automigrate are flags of the records service (it applies migrations)',
      );
    }
    const { dev, help: _help, ...flags } = values;
    const config = loadProcessConfig(flags, { NB_HTTP: defaultHttp });
    const options = { config, dev, migrate, servePublicDir: false, hooks, withoutDataDir: withoutDataDir(config) };
    await new HooksServer(module, options, `nestbase ${name}`).start();
  };
  start().catch((error: unknown) =>
    exitOnStartFailure(
      error,
      (e) => e instanceof HooksLoadError,
      (e) => e instanceof MigrationError,
    ),
  );
}
