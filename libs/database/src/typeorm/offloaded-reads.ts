import { SqlExecutor } from '../sql-executor';
import type { ReadPool } from './read-pool';
import { unavailableIfBusy } from './sqlite-busy';

/** `Database.reads` with read workers: the pool unless a write transaction is open on the main connection. */
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
    try {
      return await this.pool.query<T>(
        sql,
        params.map((v) => (typeof v === 'boolean' ? Number(v) : v)),
      );
    } catch (error) {
      throw unavailableIfBusy(error);
    }
  }

  override run(sql: string, params?: readonly unknown[]): Promise<number> {
    return this.database.run(sql, params);
  }
}
