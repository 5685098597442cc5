import { ConfigError, type AppConfig, type ServiceRunner } from '@lib/core';
import { HooksServer } from './hooks-server';
import { HooksLoadError } from './loader/hooks-loader';
import { MigrationError } from './migrations/migration-file';

/**
 * How the split services that run hooks start (records: record hooks; auth: auth hooks), for core's `runService`:
 * flags `--hooksDir`, `--dev` (or their `NB_*` variables; core's SERVICE_CLI declares them), then the server with
 * the `pb_hooks` files loaded; hooks-file problems print one line and exit 2. `migrate` (records, which owns the schema): `--migrationsDir`,
 * `--automigrate`, and the migrations applied at start (a failing one prints one line and exits 1). `hooks:
 * 'points'` (files, realtime): only the hook points that service fires, no routes, crons or record hooks;
 * `withoutDataDir`: the service runs without a data dir (realtime asking the records service).
 */
export function hooksRunner({
  migrate = false,
  hooks = 'all',
  withoutDataDir = () => false,
}: {
  migrate?: boolean;
  hooks?: 'all' | 'points';
  withoutDataDir?: (config: AppConfig) => boolean;
} = {}): ServiceRunner {
  return {
    async start(module, config, flags, name) {
      if (!migrate && (flags.migrationsDir !== undefined || flags.automigrate !== undefined)) {
        throw new ConfigError(
          '--migrationsDir and --automigrate are flags of the records service (it applies migrations)',
        );
      }
      const dev = flags.dev === true;
      const options = { config, dev, migrate, servePublicDir: false, hooks, withoutDataDir: withoutDataDir(config) };
      await new HooksServer(module, options, name).start();
    },
    usageError: (error) => error instanceof HooksLoadError,
    knownError: (error) => error instanceof MigrationError,
  };
}
