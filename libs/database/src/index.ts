export { DatabaseModule } from './database.module';
export { Database } from './typeorm/typeorm-database';
export { openDataSource } from './typeorm/create-data-source';
export { SqlExecutor, TxExecutor, TableDdl } from './sql-executor';
export type { ColumnSpec, IndexSpec, ColumnChanges, DescribedColumn } from './sql-executor';
export { DatabaseReadinessCheck } from './database-readiness-check';
export { snapshotSqlite } from './typeorm/sqlite-snapshot';
