import { Global, Inject, Module, OnApplicationShutdown } from '@nestjs/common';
import { AppConfig } from '@lib/core';
import { Database } from './typeorm/typeorm-database';
import { openDataSource } from './typeorm/create-data-source';

@Global()
@Module({
  providers: [
    {
      provide: Database,
      inject: [AppConfig],
      useFactory: async (config: AppConfig) =>
        new Database(await openDataSource({ dataDir: config.dataDir, busyTimeoutMs: config.db.busyTimeoutMs }), {
          ...config.cost,
          busyTimeoutMs: config.db.busyTimeoutMs,
        }),
    },
  ],
  exports: [Database],
})
export class DatabaseModule implements OnApplicationShutdown {
  constructor(@Inject(Database) private readonly database: Database) {}

  async onApplicationShutdown(): Promise<void> {
    await this.database.close();
  }
}
