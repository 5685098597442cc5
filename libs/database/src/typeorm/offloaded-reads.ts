import { SqlExecutor } from '../sql-executor';
import type { ReadPool } from './read-pool';
import { tracedSql } from './sql-trace';
import { unavailableIfBusy } from './sqlite-busy';

const READ_WORKER = { 'nestbase.db.read_worker': true };

/**
 * `Database.reads` with read workers: the pool, unless a write transaction is open on the main connection (its
 * reads must see its rows) or the statement proved cheap lately (`StatementCosts`: then inline). A worker's
 * statement is traced here (`db SELECT`, child of the request's span), the inline ones by the main connection.
 */
export class OffloadedReads extends SqlExecutor {
  constructor(
    private readonly database: SqlExecutor,
    private readonly pool: ReadPool,
    private readonly connection: { readonly inTransaction: boolean },
  ) {
    super();
  }

  override async query<T>(sql: string, params: readonly unknown[] = []): Promise<T[]> {
    if (this.connection.inTransaction || !this.pool.available) {
      return this.database.query<T>(sql, params);
    }
    if (this.pool.costs.cheap(sql)) {
      // Lately cheap: inline costs less than the two messages; its time decides where the next run goes.
      // The main connection runs the statement before `query` returns its promise: that span is its cost.
      const started = performance.now();
      const rows = this.database.query<T>(sql, params);
      this.pool.costs.record(sql, (performance.now() - started) * 1000);
      return rows;
    }
    try {
      const values = params.map((v) => (typeof v === 'boolean' ? Number(v) : v));
      return await tracedSql(sql, () => this.pool.query<T>(sql, values), 'sqlite', READ_WORKER);
    } catch (error) {
      throw unavailableIfBusy(error);
    }
  }

  override run(sql: string, params?: readonly unknown[]): Promise<number> {
    return this.database.run(sql, params);
  }
}
