import * as fs from 'node:fs';
import * as path from 'node:path';
import { DynamicModule, Logger, Module } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import {
  AppConfig,
  AppRestartModule,
  createApp,
  DashboardInstaller,
  ensureDataDir,
  heapAfterStart,
  loadProcessConfig,
  logStarted,
  startupLog,
  waitForRedis,
} from '@lib/core';
import { CronScheduler } from './cron/cron-scheduler';
import { HookRegistry } from './hook-registry';
import { HooksApp } from './hooks-app';
import { HooksModule } from './hooks.module';
import { HookPointsModule } from './hook-points.module';
import { assertSyncReads, loadHooksDir } from './loader/hooks-loader';
import { MigrationsService } from './migrations/migrations.service';
import { HookRoutes } from './routes/hook-routes';
import { runChain } from './hook-chain';
import { terminate } from './lifecycle';
import type { LifecycleEvent } from './hook-types';

export interface HooksServerOptions {
  /** Data directory (default `./pb_data`, env `NB_DIR`). */
  dir?: string;
  /** `host:port` to listen on (default `127.0.0.1:8090`, env `NB_HTTP`). */
  http?: string;
  /** Static files served at `/` (default `./pb_public`, env `NB_PUBLIC_DIR`). */
  publicDir?: string;
  /** Also load the `*.pb.js` / `*.pb.ts` hooks files of this directory at start. */
  hooksDir?: string;
  /** Reload the hooks files (restarting the app in-process) when they change. */
  dev?: boolean;
  /** Migration files (default `<dir>/../pb_migrations`, env `NB_MIGRATIONS_DIR`), applied at start. */
  migrationsDir?: string;
  /** Write a migration file for each collection change made through the API (env `NB_AUTOMIGRATE`). */
  automigrate?: boolean;
  /** Apply the pending migrations at start (default true; the split auth service leaves them to records). */
  migrate?: boolean;
  /** A configuration built already (the CLI); `dir`, `http`, `publicDir` are then ignored. */
  config?: AppConfig;
  /** Stop cleanly and exit on SIGINT/SIGTERM (default true). */
  handleSignals?: boolean;
  /** Serve `publicDir` at `/` (default true). */
  servePublicDir?: boolean;
  /**
   * `points`: the process only fires hook points by name (the split files and realtime services): no record hooks,
   * routes, crons or data helpers. Default `all`.
   */
  hooks?: 'all' | 'points';
  /** The app uses no data directory (a realtime process reading from the records service). */
  withoutDataDir?: boolean;
}

/** The Nest module of the app's capabilities (standalone: everything; split services: their slice). */
export type AppModuleFactory = (config: AppConfig) => DynamicModule;

@Module({})
class HooksServerModule {}

/**
 * A nestbase process with hooks: the given app module plus the hooks module, the `pb_hooks` files,
 * routes, crons and `--dev` reload. The standalone app's `NestBase` (the library entry) and the split
 * records and auth services run on it. As a library: register hooks, routes and crons, then
 * `await app.start()`.
 *
 * ```ts
 * const app = new NestBase({ dir: './pb_data', http: '127.0.0.1:8090' });
 * app.onRecordBeforeCreate('todos', (e) => { … });
 * await app.start();
 * ```
 */
export class HooksServer extends HooksApp {
  readonly config: AppConfig;
  private nest: NestFastifyApplication | null = null;
  private own: HookRegistry | null = null;
  private watcher: fs.FSWatcher | null = null;
  private readonly log: Logger;

  constructor(
    private readonly appModule: AppModuleFactory,
    private readonly options: HooksServerOptions = {},
    private readonly name = 'nestbase',
  ) {
    super();
    this.log = new Logger(name);
    const { dir, http, publicDir, hooksDir, migrationsDir, automigrate } = options;
    this.config = options.config ?? loadProcessConfig({ dir, http, publicDir, hooksDir, migrationsDir, automigrate });
  }

  /** Loads the hooks files (if any), starts the server, then runs the crons. */
  async start(): Promise<void> {
    this.own ??= new HookRegistry().merge(this.hooks);
    const files = await this.loadFiles();
    await this.boot(files);
    if (this.options.dev) {
      this.watch();
    }
    if (this.options.handleSignals !== false) {
      process.once('SIGINT', () => void this.exit('SIGINT'));
      process.once('SIGTERM', () => void this.exit('SIGTERM'));
    }
  }

  /** Stops the crons and the server (in-flight requests finish) and closes the database. */
  async stop(): Promise<void> {
    this.watcher?.close();
    this.watcher = null;
    await this.terminate(false);
  }

  /** `onTerminate` handlers around closing the app (crons, server, database). */
  private async terminate(isRestart: boolean): Promise<void> {
    const nest = this.nest;
    this.nest = null;
    if (nest) {
      await terminate(this.hooks, this, isRestart, () => nest.close(), this.log);
    }
  }

  /**
   * Stops the app (crons, server, database), runs `between` (a backup restore swaps the data directory
   * there), then starts it again with the hooks files reloaded. If `between` fails the app starts on what is
   * there, and the error is rethrown.
   */
  async restart(between: () => Promise<void> = async () => undefined): Promise<void> {
    await this.terminate(true);
    let failure: Error | null = null;
    try {
      await between();
    } catch (error) {
      failure = error instanceof Error ? error : new Error(String(error));
    }
    await this.boot(await this.loadFiles());
    if (failure) {
      throw failure;
    }
  }

  /** The underlying Nest application while started. */
  get nestApp(): NestFastifyApplication | null {
    return this.nest;
  }

  /** A fresh copy of the app's own hooks plus those of the hooks files, registered through a `HooksApp`. */
  private async loadFiles(): Promise<HooksApp | null> {
    // The library loads the files of `hooksDir`, else of the configured directory (NB_HOOKS_DIR, default
    // ./pb_hooks) when it exists.
    const implicit = this.options.hooksDir === undefined && this.options.config === undefined;
    if (implicit && !fs.existsSync(this.config.hooksDir)) {
      return null;
    }
    const registry = new HookRegistry().merge(this.own!);
    const files = new HooksApp(registry);
    files.readsAwaited = this.config.db.url !== '';
    await loadHooksDir(this.config.hooksDir, files);
    this.hooks.copyFrom(registry);
    return files;
  }

  private async boot(files: HooksApp | null): Promise<void> {
    const config = this.config;
    const pointsOnly = this.options.hooks === 'points';
    if (!this.options.withoutDataDir) {
      ensureDataDir(config.dataDir);
    }
    if (config.redis.url) {
      await waitForRedis(config.redis.url, config.redis.waitMs);
    }
    const module = {
      module: HooksServerModule,
      imports: [
        this.appModule(config),
        pointsOnly ? HookPointsModule.forRoot(this, this.hooks) : HooksModule.forRoot(this, this.hooks),
        AppRestartModule.forRoot(this),
      ],
    };
    const nest = await createApp(module as never, config, {
      servePublicDir: this.options.servePublicDir !== false,
      withoutDataDir: this.options.withoutDataDir,
    });
    this.nest = nest;
    const e: LifecycleEvent = { app: this, next: async () => undefined };
    let installerToken: string | null;
    try {
      await runChain(
        this.hooks.bootstrap,
        e,
        async () => {
          await nest.init();
          if (files && !pointsOnly) {
            files.data = this.data;
            files.services = this.services && { ...this.services, isDev: this.options.dev === true };
            assertSyncReads(files);
          }
        },
        true,
      );
      if (this.options.migrate !== false) {
        await nest.get(MigrationsService).up((file) => startupLog().info({ file }, `Applied migration ${file}`));
      }
      // Made before listening: once the port answers, a SIGTERM must find the signal handlers installed.
      installerToken = await this.installerToken(nest);
      await runChain(
        this.hooks.serve,
        e,
        async () => {
          if (!pointsOnly) {
            nest.get(HookRoutes).install();
          }
          await nest.listen(config.http.port, config.http.host);
        },
        true,
      );
    } catch (error) {
      this.nest = null;
      await nest.close().catch(() => undefined);
      throw error;
    }
    if (!pointsOnly) {
      nest.get(CronScheduler).start();
    }
    heapAfterStart();
    const address = `http://${config.http.host}:${config.http.port}`;
    logStarted(this.name, address);
    if (installerToken) {
      const url = `${address}/_/#/pbinstall/${installerToken}`;
      startupLog().info(
        { installerUrl: url, tree: [url] },
        '(!) No superuser yet. Create the first one by opening (valid for 30 minutes, once):',
      );
    }
  }

  /** With no superuser yet: the token of the dashboard installer's first-run link (valid 30 minutes). */
  private async installerToken(nest: NestFastifyApplication): Promise<string | null> {
    if (this.options.servePublicDir === false) {
      return null;
    }
    let installer: DashboardInstaller;
    try {
      installer = nest.get(DashboardInstaller, { strict: false });
    } catch {
      return null;
    }
    return installer.installerToken().catch((error: unknown) => {
      this.log.warn(`installer link: ${String(error)}`);
      return null;
    });
  }

  /**
   * `--dev`: on a change of the hooks directory, reload the files and restart the app with them. A directory
   * that doesn't exist yet is waited for (its nearest existing parent is watched) and loaded once it appears.
   */
  private watch(): void {
    const dir = this.config.hooksDir;
    let timer: NodeJS.Timeout | undefined;
    let reloading = Promise.resolve();
    const reloadSoon = () => {
      clearTimeout(timer);
      timer = setTimeout(() => {
        reloading = reloading.then(() => this.reload());
      }, 200);
    };
    const nearestExisting = (): string => {
      let parent = path.dirname(dir);
      while (!fs.existsSync(parent) && path.dirname(parent) !== parent) {
        parent = path.dirname(parent);
      }
      return parent;
    };
    const arm = (): void => {
      this.watcher?.close();
      if (fs.existsSync(dir)) {
        this.watcher = fs.watch(dir, reloadSoon);
        return;
      }
      const parent = nearestExisting();
      // on a change there: the directory appeared (watch it, load it), or a level between appeared or went
      // (watch the new nearest one); checked once more after arming, for what came before the watch
      const check = (): void => {
        if (fs.existsSync(dir)) {
          arm();
          reloadSoon();
        } else if (nearestExisting() !== parent) {
          arm();
        }
      };
      this.watcher = fs.watch(parent, check);
      check();
    };
    arm();
  }

  private async reload(): Promise<void> {
    const previous = new HookRegistry().merge(this.hooks);
    let files: HooksApp | null;
    try {
      files = await this.loadFiles();
    } catch (error) {
      this.hooks.copyFrom(previous);
      this.log.error(`hooks not reloaded: ${(error as Error).message}`);
      return;
    }
    await this.nest?.close();
    this.nest = null;
    await this.boot(files);
    startupLog().info('hooks reloaded');
  }

  private async exit(signal: string): Promise<void> {
    this.log.log(`${signal}: shutting down`);
    try {
      await this.stop();
      process.exit(0);
    } catch (error) {
      this.log.error(String(error));
      process.exit(1);
    }
  }
}
