import type { QueryRunner } from 'typeorm';
import { TableDdl, TxExecutor } from '../sql-executor';
import { TypeormTableDdl } from './typeorm-table-ddl';
import { retryBusy, unavailableIfBusy } from './sqlite-busy';
import { isInterrupted, QueryDeadline } from './query-deadline';
import { queryTimeout } from './query-timeout';
import { tracedSql } from './sql-trace';

export class RunnerExecutor extends TxExecutor {
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

export interface SqliteStatement {
  reader: boolean;
  pluck(): SqliteStatement;
  get(...params: unknown[]): unknown;
  all(...params: unknown[]): unknown[];
  run(...params: unknown[]): { changes: number };
}
export interface SqliteConnection {
  prepare(sql: string): SqliteStatement;
  function(name: string, options: { deterministic: boolean; varargs: boolean }, fn: () => number): unknown;
  readonly inTransaction: boolean;
  readonly memory: boolean;
  readonly name: string;
}

const STATEMENT_CACHE = 500;

/**
 * Runs statements straight on the better-sqlite3 connection TypeORM opened, with a prepared-statement
 * cache: TypeORM's query path (broadcaster, logger, several awaits per query) cost more than the
 * query itself on the hot read path. DDL, migrations and transaction control stay with TypeORM.
 */
export class DirectSqliteExecutor extends TxExecutor {
  private readonly statements = new Map<string, SqliteStatement>();

  constructor(
    readonly connection: SqliteConnection,
    readonly ddl: TableDdl,
    private readonly deadline: QueryDeadline,
  ) {
    super();
    deadline.install(connection);
  }

  override async query<T>(sql: string, params: readonly unknown[] = []): Promise<T[]> {
    return this.querySync<T>(sql, params);
  }

  /** `query`, run and answered synchronously (better-sqlite3 is synchronous); a span per statement while tracing. */
  querySync<T>(sql: string, params: readonly unknown[] = [], readOnly = false): T[] {
    return tracedSql(sql, () => this.querySyncNow<T>(sql, params, readOnly));
  }

  private querySyncNow<T>(sql: string, params: readonly unknown[], readOnly: boolean): T[] {
    try {
      const statement = this.statement(sql);
      if (readOnly && !statement.reader) {
        throw new Error('only statements that read are allowed here');
      }
      const values = params.map(bindable);
      return (
        statement.reader ? this.deadline.run(() => statement.all(...values)) : (statement.run(...values), [])
      ) as T[];
    } catch (error) {
      throw isInterrupted(error) ? queryTimeout(this.deadline.timeoutMs) : unavailableIfBusy(error);
    }
  }

  override async run(sql: string, params: readonly unknown[] = []): Promise<number> {
    return tracedSql(sql, () => this.runNow(sql, params));
  }

  private runNow(sql: string, params: readonly unknown[]): number {
    try {
      const statement = this.statement(sql);
      const values = params.map(bindable);
      return statement.reader ? (statement.all(...values), 0) : statement.run(...values).changes;
    } catch (error) {
      throw unavailableIfBusy(error);
    }
  }

  /** SQLite's busy timeout of this connection (how long a statement waits for another process's lock). */
  setBusyTimeout(ms: number): void {
    this.connection.prepare(`PRAGMA busy_timeout = ${Math.trunc(ms)}`).run();
  }

  private dataVersionStatement: SqliteStatement | undefined;
  /** The value `dataVersionThisTurn()` read in this turn of the event loop (null: read it again). */
  private dataVersionNow: number | null = null;

  dataVersion(): number {
    try {
      this.dataVersionStatement ??= this.connection.prepare('PRAGMA data_version').pluck();
      return this.dataVersionStatement.get() as number;
    } catch (error) {
      throw unavailableIfBusy(error);
    }
  }

  /** `dataVersion()` read at most once per turn of the event loop (see `Database.dataVersionThisTurn`). */
  dataVersionThisTurn(): number {
    if (this.dataVersionNow === null) {
      this.dataVersionNow = this.dataVersion();
      setImmediate(() => (this.dataVersionNow = null));
    }
    return this.dataVersionNow;
  }

  /**
   * Runs `work` in `BEGIN IMMEDIATE … COMMIT`: the write lock is taken first (waiting up to the busy
   * timeout for other processes), so the transaction never has to upgrade a read snapshot another
   * process made stale. A busy BEGIN or COMMIT is retried a few times; work that failed is rolled back,
   * and a SQLITE_BUSY that still gets through is a 503.
   */
  async writeTransaction<T>(work: () => Promise<T>): Promise<T> {
    try {
      await retryBusy(() => this.control('BEGIN IMMEDIATE'));
    } catch (error) {
      throw unavailableIfBusy(error);
    }
    try {
      const value = await work();
      await retryBusy(() => this.control('COMMIT'));
      return value;
    } catch (error) {
      if (this.connection.inTransaction) {
        this.control('ROLLBACK');
      }
      throw unavailableIfBusy(error);
    }
  }

  /** Transaction control, errors unchanged (the caller decides what a busy one means). */
  control(sql: string): void {
    this.statement(sql).run();
  }

  /** Whether a transaction is open on the connection (SQLite may end one by itself on an I/O error). */
  get inTransaction(): boolean {
    return this.connection.inTransaction;
  }

  /** SQLite's `total_changes()`: rows this connection inserted, updated or deleted (triggers, cascades too). */
  totalChanges(): number {
    return (this.statement('SELECT total_changes() AS "n"').get() as { n: number }).n;
  }

  /** The same executor for a transaction that must not run DDL (it would commit the transaction). */
  withoutDdl(): TxExecutor {
    this.noDdl ??= Object.create(this, {
      ddl: {
        get() {
          throw new Error('DDL needs Database.schemaTransaction');
        },
      },
    }) as TxExecutor;
    return this.noDdl;
  }

  private noDdl: TxExecutor | undefined;

  private statement(sql: string): SqliteStatement {
    let statement = this.statements.get(sql);
    if (!statement) {
      statement = this.connection.prepare(sql);
      this.statements.set(sql, statement);
      if (this.statements.size > STATEMENT_CACHE) {
        this.statements.delete(this.statements.keys().next().value as string);
      }
    }
    return statement;
  }
}

/** better-sqlite3 binds no booleans. */
function bindable(value: unknown): unknown {
  return typeof value === 'boolean' ? (value ? 1 : 0) : value;
}
