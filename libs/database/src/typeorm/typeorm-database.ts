import { DataSource, QueryRunner } from 'typeorm';
import { SqlExecutor, TableDdl, TxExecutor } from '../sql-executor';
import { TypeormTableDdl } from './typeorm-table-ddl';

class RunnerExecutor extends TxExecutor {
  readonly ddl: TableDdl;
  constructor(private readonly runner: QueryRunner) {
    super();
    this.ddl = new TypeormTableDdl(runner);
  }
  override async query<T>(sql: string, params: readonly unknown[] = []): Promise<T[]> {
    return (await this.runner.query(sql, params as unknown[])) as T[];
  }
  override async run(sql: string, params: readonly unknown[] = []): Promise<number> {
    const result = await this.runner.query(sql, params as unknown[], true);
    return (result as { affected?: number }).affected ?? 0;
  }
}

/**
 * The data source seen by repositories: reads run directly; write transactions are serialized,
 * because SQLite has one writer and the better-sqlite3 driver shares one connection per process.
 */
export class Database extends SqlExecutor {
  private queue: Promise<unknown> = Promise.resolve();
  private readonly direct: RunnerExecutor;

  constructor(readonly dataSource: DataSource) {
    super();
    this.direct = new RunnerExecutor(dataSource.createQueryRunner());
  }

  override query<T = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<T[]> {
    return this.direct.query<T>(sql, params);
  }

  override run(sql: string, params?: readonly unknown[]): Promise<number> {
    return this.direct.run(sql, params);
  }

  /** Runs `fn` in one transaction: committed when it resolves, rolled back when it throws. */
  transaction<T>(fn: (tx: TxExecutor) => Promise<T>): Promise<T> {
    const result = this.queue.then(() => this.runTransaction(fn));
    this.queue = result.catch(() => undefined);
    return result;
  }

  private async runTransaction<T>(fn: (tx: TxExecutor) => Promise<T>): Promise<T> {
    const runner = this.dataSource.createQueryRunner();
    await runner.startTransaction();
    try {
      const value = await fn(new RunnerExecutor(runner));
      await runner.commitTransaction();
      return value;
    } catch (error) {
      await runner.rollbackTransaction();
      throw error;
    }
  }

  async close(): Promise<void> {
    await this.queue;
    if (this.dataSource.isInitialized) {
      await this.dataSource.destroy();
    }
  }
}
