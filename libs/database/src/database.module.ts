import { Global, Inject, Module, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { AppConfig } from '@lib/core';
import { Database } from './typeorm/typeorm-database';
import { openDataSource } from './typeorm/create-data-source';
import { openPostgres } from './postgres/open-postgres';
import { PostgresDatabase } from './postgres/postgres-database';

/**
 * The busy timeout while the app starts: processes sharing the file (the services of the distributed set)
 * start together and each runs migrations, creates system collections and upserts PB_ADMIN_* under the write
 * lock, which can take seconds on a busy machine. A start-up that gives up is a service that doesn't come up,
 * so it waits this long whatever DB_BUSY_TIMEOUT_MS (the per-request wait) says.
 */
export const STARTUP_BUSY_TIMEOUT_MS = 60_000;

@Global()
@Module({
  providers: [
    {
      provide: Database,
      inject: [AppConfig],
      useFactory: async (config: AppConfig) =>
        config.db.url
          ? new Database(
              new PostgresDatabase(
                await openPostgres({
                  url: config.db.url,
                  poolMax: config.db.poolMax,
                  statementTimeoutMs: config.cost.queryTimeoutMs,
                }),
                config.cost.queryTimeoutMs,
              ),
            )
          : new Database(
              await openDataSource({
                dataDir: config.dataDir,
                busyTimeoutMs: Math.max(STARTUP_BUSY_TIMEOUT_MS, config.db.busyTimeoutMs),
              }),
              { ...config.cost, busyTimeoutMs: config.db.busyTimeoutMs },
            ),
    },
  ],
  exports: [Database],
})
export class DatabaseModule implements OnModuleInit, OnApplicationShutdown {
  constructor(
    @Inject(Database) private readonly database: Database,
    @Inject(AppConfig) private readonly config: AppConfig,
    @Inject(HttpAdapterHost) private readonly adapterHost: HttpAdapterHost,
  ) {}

  /**
   * Requests wait DB_BUSY_TIMEOUT_MS from the moment the server is ready (after every start-up step). A
   * process that serves no HTTP (a CLI command) keeps the start-up timeout: it has nobody waiting on it.
   */
  onModuleInit(): void {
    const fastify = this.adapterHost.httpAdapter?.getInstance?.<
      { addHook(name: 'onReady', hook: () => Promise<void>): void } | undefined
    >();
    fastify?.addHook('onReady', async () => this.database.setBusyTimeout(this.config.db.busyTimeoutMs));
  }

  async onApplicationShutdown(): Promise<void> {
    await this.database.close();
  }
}
