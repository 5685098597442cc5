import type { Pool, types } from 'pg';
import { pg } from './pg-module';
import { DataSource } from 'typeorm';
import { CollectionEntity } from '../typeorm/collection.entity';
import { ParamEntity } from '../typeorm/param.entity';
import { Init1732500000000 } from '../migrations/1732500000000-init';
import { MigrationsHistory1760000000000 } from '../migrations/1760000000000-migrations-history';
import { POSTGRES_AUTH_WRITES_SQL, POSTGRES_SCHEMA_WRITES_SQL, POSTGRES_SUPPORT_SQL } from './postgres-support';

export interface PostgresSettings {
  url: string;
  /** Connections of this process's pool. */
  poolMax: number;
  /** `statement_timeout` of every statement on the pool (0: none); schema transactions lift it. */
  statementTimeoutMs: number;
}

/** Any value as its text (JSON and jsonb stay the text SQLite would hold; the codecs parse it). */
const asText = (value: string): string => value;
const asNumber = (value: string): number => Number(value);
const asBit = (value: string): number => (value === 't' ? 1 : 0);

const PARSERS = new Map<number, (value: string) => unknown>([
  [16, asBit], // bool
  [20, asNumber], // int8 (COUNT(*))
  [1700, asNumber], // numeric
  [114, asText], // json
  [3802, asText], // jsonb
  [1114, asText], // timestamp
  [1184, asText], // timestamptz
  [1082, asText], // date
]);

/**
 * Rows shaped as better-sqlite3's: booleans 1/0, JSON as text, 64-bit and numeric counts as numbers. The
 * repositories and the field codecs then read both databases alike.
 */
const defaultParser = (oid: number, format?: 'text' | 'binary'): ((value: string) => unknown) =>
  (pg().types.getTypeParser as (oid: number, format?: 'text' | 'binary') => (value: string) => unknown)(oid, format);
const ROW_TYPES = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    PARSERS.get(oid) ?? defaultParser(oid, format)) as typeof types.getTypeParser,
};

/** A lock id for start-up: processes starting together run the migrations one after the other. */
const MIGRATION_LOCK = 7_301_991_204;

/**
 * Opens the pool of `url`, runs nestbase's migrations (TypeORM's, on a short-lived data source of its own, under an
 * advisory lock), creates the query compiler's support functions (`POSTGRES_SUPPORT_SQL`) and the auth-write
 * counter with its triggers (`POSTGRES_AUTH_WRITES_SQL`) and the schema-write counter (`POSTGRES_SCHEMA_WRITES_SQL`).
 */
export async function openPostgres(settings: PostgresSettings): Promise<Pool> {
  const pool = new (pg().Pool)({
    connectionString: settings.url,
    max: settings.poolMax,
    types: ROW_TYPES,
    ...(settings.statementTimeoutMs > 0 ? { statement_timeout: settings.statementTimeoutMs } : {}),
  });
  pool.on('error', () => undefined); // an idle client whose connection ended: the pool replaces it
  const lock = await pool.connect();
  try {
    await lock.query('SET statement_timeout = 0');
    await lock.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    await migrate(settings.url);
    await lock.query(POSTGRES_SUPPORT_SQL);
    await lock.query(POSTGRES_AUTH_WRITES_SQL);
    await lock.query(POSTGRES_SCHEMA_WRITES_SQL);
    await lock.query('SELECT nb_watch_auth_tables()');
  } catch (error) {
    lock.release();
    await pool.end();
    throw error;
  }
  await lock.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => undefined);
  await lock.query('RESET statement_timeout').catch(() => undefined);
  lock.release();
  return pool;
}

async function migrate(url: string): Promise<void> {
  const dataSource = new DataSource({
    type: 'postgres',
    url,
    entities: [CollectionEntity, ParamEntity],
    migrations: [Init1732500000000, MigrationsHistory1760000000000],
    migrationsTableName: '_typeorm_migrations',
    synchronize: false,
    extra: { max: 1 },
  });
  await dataSource.initialize();
  try {
    await dataSource.runMigrations({ transaction: 'all' });
  } finally {
    await dataSource.destroy();
  }
}
