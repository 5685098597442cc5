export { DatabaseModule } from './database.module';
export { Database } from './typeorm/typeorm-database';
export { openDataSource } from './typeorm/create-data-source';
export { SqlExecutor, TxExecutor, TableDdl } from './sql-executor';
export type { ColumnSpec, IndexSpec, ColumnChanges, DescribedColumn } from './sql-executor';
export { DatabaseReadinessCheck } from './database-readiness-check';
export { snapshotSqlite } from './typeorm/sqlite-snapshot';
export {
  AUTH_WRITES_TABLE,
  POSTGRES_AUTH_WRITES_SQL,
  SCHEMA_WRITES_TABLE,
  POSTGRES_SUPPORT_SQL,
  toPostgresPlaceholders,
} from './postgres/postgres-support';
export { openPostgres } from './postgres/open-postgres';
export { PostgresDatabase } from './postgres/postgres-database';
export { DependentViewError } from './postgres/postgres-errors';
export { quoteIdentifier } from './quote';
export { openCopySource } from './snapshot-reader';
export type { CopySource, RowPages } from './snapshot-reader';
