import * as path from 'node:path';
import { DataSource } from 'typeorm';
import { makeDirs } from '@lib/core';
import { CollectionEntity } from './collection.entity';
import { ParamEntity } from './param.entity';
import { Init1732500000000 } from '../migrations/1732500000000-init';
import { MigrationsHistory1760000000000 } from '../migrations/1760000000000-migrations-history';
import { SQLITE_SCHEMA_WRITES_SQL } from './sqlite-schema-writes';
import { retryBusy } from './sqlite-busy';

const TYPEORM_MIGRATIONS = '_typeorm_migrations';

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
    migrations: [Init1732500000000, MigrationsHistory1760000000000],
    // `_migrations` is PocketBase's table of applied pb_migrations files.
    migrationsTableName: TYPEORM_MIGRATIONS,
    synchronize: false,
    enableWAL: true,
    timeout: settings.busyTimeoutMs,
    statementCacheSize: 500,
    prepareDatabase: (db: { pragma(source: string): unknown }) => {
      db.pragma(`busy_timeout = ${Math.trunc(settings.busyTimeoutMs)}`);
      db.pragma('synchronous = NORMAL');
      db.pragma('journal_size_limit = 200000000');
      // 16 MB of pages (PocketBase: 32): with the read workers' 8 MB each, bench:records' peak RSS went from 189 to
      // 177 MB at the same throughput (the OS keeps the file's pages cached either way).
      db.pragma('cache_size = -16000');
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
 * (TypeORM alone would check, then create, and both processes would create the same tables). The schema-write
 * counter (`SQLITE_SCHEMA_WRITES_SQL`) is made there too.
 */
async function migrateUnderWriteLock(dataSource: DataSource): Promise<void> {
  const runner = dataSource.createQueryRunner();
  await retryBusy(() => runner.query('BEGIN IMMEDIATE'));
  try {
    // Data directories made before pb_migrations support kept TypeORM's own list under PocketBase's name.
    const columns = (await runner.query('PRAGMA table_info("_migrations")')) as { name: string }[];
    if (columns.some((c) => c.name === 'timestamp')) {
      await runner.query(`ALTER TABLE "_migrations" RENAME TO "${TYPEORM_MIGRATIONS}"`);
    }
    await dataSource.runMigrations({ transaction: 'none' });
    for (const sql of SQLITE_SCHEMA_WRITES_SQL) {
      await runner.query(sql);
    }
    await retryBusy(() => runner.query('COMMIT'));
  } catch (error) {
    await runner.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    await runner.release();
  }
}
