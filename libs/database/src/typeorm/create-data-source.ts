import * as path from 'node:path';
import { DataSource } from 'typeorm';
import { makeDirs } from '@lib/core';
import { CollectionEntity } from './collection.entity';
import { ParamEntity } from './param.entity';
import { Init1732500000000 } from '../migrations/1732500000000-init';
import { retryBusy } from './sqlite-busy';

export interface DataSourceSettings {
  dataDir: string;
  busyTimeoutMs: number;
}

/**
 * Opens `<dataDir>/data.db` (WAL, busy timeout, foreign keys) and runs pending migrations. Several
 * processes may open the same file at once (the services of the distributed set starting together).
 */
export async function openDataSource(settings: DataSourceSettings): Promise<DataSource> {
  makeDirs(settings.dataDir);
  const dataSource = new DataSource({
    type: 'better-sqlite3',
    database: path.join(settings.dataDir, 'data.db'),
    entities: [CollectionEntity, ParamEntity],
    migrations: [Init1732500000000],
    migrationsTableName: '_migrations',
    synchronize: false,
    enableWAL: true,
    timeout: settings.busyTimeoutMs,
    statementCacheSize: 500,
    prepareDatabase: (db: { pragma(source: string): unknown }) => {
      db.pragma(`busy_timeout = ${Math.trunc(settings.busyTimeoutMs)}`);
      db.pragma('synchronous = NORMAL');
      db.pragma('journal_size_limit = 200000000');
      db.pragma('cache_size = -32000');
      db.pragma('temp_store = MEMORY');
    },
  });
  await dataSource.initialize();
  await migrateUnderWriteLock(dataSource);
  return dataSource;
}

/**
 * Runs the pending migrations inside one `BEGIN IMMEDIATE` transaction, the migrations table included:
 * a process starting beside another on a fresh file waits for the write lock, then finds them done
 * (TypeORM alone would check, then create, and both processes would create the same tables).
 */
async function migrateUnderWriteLock(dataSource: DataSource): Promise<void> {
  const runner = dataSource.createQueryRunner();
  await retryBusy(() => runner.query('BEGIN IMMEDIATE'));
  try {
    await dataSource.runMigrations({ transaction: 'none' });
    await retryBusy(() => runner.query('COMMIT'));
  } catch (error) {
    await runner.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    await runner.release();
  }
}
