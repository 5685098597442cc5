import * as fs from 'node:fs';
import * as path from 'node:path';
import { DynamicModule, Logger, Module } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { AppConfig } from '../config/app-config';
import { AppRestartModule } from './app-restart';
import { createApp, type AppOptions } from './bootstrap';
import { waitForRedis } from './dependencies';
import { logStarted } from './observability/log';
import { heapAfterStart } from './worker-heap';

/** Thrown for a data directory that can't be created or written. */
export class UnusableDirError extends Error {}

/**
 * `mkdir -p` one level at a time. Node's own `{ recursive: true }` never returns for a path whose parent
 * exists but refuses children (`/proc/nope` loops forever on ENOENT); this throws the first level's error.
 */
export function makeDirs(dir: string): void {
  const missing: string[] = [];
  let current = path.resolve(dir);
  while (!fs.existsSync(current)) {
    missing.unshift(current);
    const parent = path.dirname(current);
    if (parent === current) {
      break;
    }
    current = parent;
  }
  for (const level of missing) {
    try {
      fs.mkdirSync(level);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') {
        throw error;
      }
    }
  }
}

/** Creates the data directory if needed and checks that it is writable. */
export function ensureDataDir(dir: string): void {
  try {
    makeDirs(dir);
    fs.accessSync(dir, fs.constants.W_OK);
    const probe = path.join(dir, `.write-check-${process.pid}`);
    fs.writeFileSync(probe, '');
    fs.rmSync(probe);
  } catch (error) {
    throw new UnusableDirError(
      `cannot use data directory ${dir}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`,
    );
  }
}

/**
 * Starts an app on `config.http`, logs where it serves (the start-up banner), and closes it cleanly on SIGINT/SIGTERM
 * (in-flight requests finish, then the database closes).
 */
export async function serve(
  module: DynamicModule,
  config: AppConfig,
  name: string,
  options: AppOptions = {},
): Promise<NestFastifyApplication> {
  if (!options.withoutDataDir) {
    ensureDataDir(config.dataDir);
  }
  if (config.redis.url) {
    await waitForRedis(config.redis.url, config.redis.waitMs);
  }
  const start = async (): Promise<NestFastifyApplication> => {
    const root = { module: ServeRoot, imports: [module, AppRestartModule.forRoot({ restart })] };
    const started = await createApp(root as never, config, options);
    await started.listen(config.http.port, config.http.host);
    heapAfterStart();
    return started;
  };
  // a restore elsewhere swapped the data directory: close everything that holds it, then start again
  const restart = async (between?: () => Promise<void>): Promise<void> => {
    await app.close();
    try {
      await between?.();
    } finally {
      app = await start();
    }
  };
  let app = await start();
  const address = `http://${config.http.host}:${config.http.port}`;
  logStarted(name, address);
  let closing = false;
  const shutdown = (signal: string) => {
    if (closing) {
      return;
    }
    closing = true;
    new Logger(name).log(`${signal}: shutting down`);
    app.close().then(
      () => process.exit(0),
      (error: unknown) => {
        new Logger(name).error(String(error));
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', () => shutdown('SIGINT'));
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  return app;
}

/** The root of a served app: the service's module plus the process entry's `AppRestart`. */
@Module({})
class ServeRoot {}
