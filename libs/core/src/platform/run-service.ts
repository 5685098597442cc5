import type { DynamicModule } from '@nestjs/common';
import { ConfigError, loadConfig, type AppConfig } from '../config/app-config';
import type { AppOptions } from './bootstrap';
import { DependencyError } from './dependencies';
import { setProcessService } from './observability/log';
import { serve, UnusableDirError } from './serve';
import {
  isCommonFlag,
  parseServiceArgs,
  SERVICE_CLI,
  serviceUsage,
  type ServiceFlags,
  type ServiceName,
} from './service-cli';

/**
 * How a service starts beyond the plain `serve` (the records and auth services: with their `pb_hooks`, see
 * `hooksRunner` of the hooks lib); its flags are the hooks flags of service-cli.ts (`SERVICE_CLI[name].hooks`).
 */
export interface ServiceRunner {
  /** Starts the service; `flags` are the extra flags given. */
  start(
    module: (config: AppConfig) => DynamicModule,
    config: AppConfig,
    flags: ServiceFlags,
    name: string,
  ): Promise<void>;
  /** Errors that are usage (one line, exit 2) or known failures (one line, exit 1). */
  readonly usageError?: (error: unknown) => boolean;
  readonly knownError?: (error: unknown) => boolean;
}

export interface ServiceSpec {
  /**
   * `gateway`, `records`…: the command, the log lines' `service`, the traces' `service.name` suffix; its flags and
   * where it listens without `--http`/`NB_HTTP` are in service-cli.ts (read before the service loads).
   */
  name: ServiceName;
  module: (config: AppConfig) => DynamicModule;
  /** App options from the configuration (the gateway serves `pb_public`; realtime may run without data). */
  options?: (config: AppConfig) => AppOptions;
  /** A start other than `serve` (with hooks). */
  runner?: ServiceRunner;
}

/**
 * The one process entry of the split services (each `main.ts` is a call to it): flags `--http`/`--dir`/
 * `--publicDir`/`--records` (or `NB_HTTP`/`NB_DIR`/…) plus the runner's, `--help`, the configuration, the
 * structured log named after the service, then `serve` (or the runner's start). Configuration problems print
 * one line and exit 2.
 */
export function runService(spec: ServiceSpec): void {
  const { name, runner } = spec;
  const { defaultHttp } = SERVICE_CLI[name];
  setProcessService(name);
  const start = async () => {
    const values = parseServiceArgs(name, process.argv.slice(2));
    if (values.help) {
      process.stdout.write(serviceUsage(name));
      return;
    }
    const { help: _help, ...given } = values;
    const extra = Object.fromEntries(Object.entries(given).filter(([key]) => !isCommonFlag(key)));
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
