import { parseArgs } from 'node:util';
import type { DynamicModule } from '@nestjs/common';
import { ConfigError, loadConfig, type AppConfig } from '../config/app-config';
import type { AppOptions } from './bootstrap';
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
      },
      strict: true,
    });
    const config = loadConfig({ NB_HTTP: defaultHttp, ...process.env }, values);
    await serve(module(config), config, `nestbase ${name}`, options(config));
  };
  start().catch((error: unknown) => {
    const expected =
      error instanceof ConfigError ||
      error instanceof UnusableDirError ||
      (error as { code?: string })?.code?.startsWith('ERR_PARSE_ARGS');
    process.stderr.write(
      `Error: ${expected ? (error as Error).message.split('\n')[0] : error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exit(expected ? 2 : 1);
  });
}
