import { parseArgs } from 'node:util';
import { exitOnStartFailure, loadProcessConfig, serviceUsage } from '@lib/core';
import { HooksServer, type AppModuleFactory } from './hooks-server';
import { HooksLoadError } from './loader/hooks-loader';

/**
 * The `main.ts` of a split service that runs hooks (records: record hooks; auth: auth hooks): flags
 * `--http`, `--dir`, `--hooksDir`, `--dev` (or their `NB_*` variables), then the server with the
 * `pb_hooks` files loaded. Configuration and hooks-file problems print one line and exit 2.
 */
export function runHooksService(name: string, module: AppModuleFactory, defaultHttp: string): void {
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
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
    });
    if (values.help) {
      process.stdout.write(serviceUsage(name, defaultHttp, ['http', 'dir', 'publicDir', 'hooksDir', 'dev']));
      return;
    }
    const { dev, help: _help, ...flags } = values;
    const config = loadProcessConfig(flags, { NB_HTTP: defaultHttp });
    await new HooksServer(module, { config, dev, servePublicDir: false }, `nestbase ${name}`).start();
  };
  start().catch((error: unknown) => exitOnStartFailure(error, (e) => e instanceof HooksLoadError));
}
