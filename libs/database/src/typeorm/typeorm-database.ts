import { DataSource, QueryRunner } from 'typeorm';
import { SqlExecutor, TableDdl, TxExecutor } from '../sql-executor';
import { TypeormTableDdl } from './typeorm-table-ddl';
import { retryBusy, unavailableIfBusy } from './sqlite-busy';
import { snapshotSqlite } from './sqlite-snapshot';
import { isInterrupted, QueryDeadline } from './query-deadline';
import { queryTimeout } from './query-timeout';
import { ReadPool } from './read-pool';
import { OffloadedReads } from './offloaded-reads';
import { tracedSql } from './sql-trace';

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

interface SqliteStatement {
  reader: boolean;
  pluck(): SqliteStatement;
  get(...params: unknown[]): unknown;
  all(...params: unknown[]): unknown[];
  run(...params: unknown[]): { changes: number };
}
interface SqliteConnection {
  prepare(sql: string): SqliteStatement;
  function(name: string, options: { deterministic: boolean; varargs: boolean }, fn: () => number): unknown;
  readonly inTransaction: boolean;
  readonly memory: boolean;
  readonly name: string;
}

/** What one request's queries may cost. */
export interface QueryLimits {
  /** Time limit of one read statement in ms (0: none). */
  queryTimeoutMs: number;
  /** Worker threads for `Database.reads` (0: they run on the main connection). */
  readWorkers: number;
  /** The read workers' SQLite busy timeout. */
  busyTimeoutMs?: number;
}

const STATEMENT_CACHE = 500;

/**
 * Runs statements straight on the better-sqlite3 connection TypeORM opened, with a prepared-statement
 * cache: TypeORM's query path (broadcaster, logger, several awaits per query) cost more than the
 * query itself on the hot read path. DDL, migrations and transaction control stay with TypeORM.
 */
class DirectSqliteExecutor extends TxExecutor {
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
  private control(sql: string): void {
    this.statement(sql).run();
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

/**
 * The data source seen by repositories: reads run directly; write transactions are serialized,
 * because SQLite has one writer and the better-sqlite3 driver shares one connection per process.
 */
export class Database extends SqlExecutor {
  private queue: Promise<unknown> = Promise.resolve();
  private readonly direct: TxExecutor;
  private rollbacks = 0;
  /** `noteSensitiveWrite()` calls and schema transactions (see `sensitiveWriteCount`). */
  private sensitiveWrites = 0;
  private readonly pool: ReadPool | null = null;
  /**
   * Where reads that may be slow run (lists, counts, their expands): a worker thread with its own read-only
   * connection, off the event loop, when there are read workers and no write transaction is open on the main
   * connection (its reads must see its own uncommitted rows); the main connection otherwise.
   */
  readonly reads: SqlExecutor;

  constructor(
    readonly dataSource: DataSource,
    limits: QueryLimits = { queryTimeoutMs: 0, readWorkers: 0 },
  ) {
    super();
    const runner = dataSource.createQueryRunner();
    const connection = (dataSource.driver as unknown as { databaseConnection?: SqliteConnection }).databaseConnection;
    const deadline = new QueryDeadline(limits.queryTimeoutMs);
    this.direct = connection
      ? new DirectSqliteExecutor(connection, new TypeormTableDdl(runner), deadline)
      : new RunnerExecutor(runner);
    if (connection && !connection.memory && limits.readWorkers > 0) {
      const data = { file: connection.name, busyTimeoutMs: limits.busyTimeoutMs ?? 5000 };
      this.pool = new ReadPool(data, limits.readWorkers, limits.queryTimeoutMs);
    }
    this.reads = this.pool ? new OffloadedReads(this, this.pool, connection as SqliteConnection) : this;
  }

  override query<T = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<T[]> {
    return this.direct.query<T>(sql, params);
  }

  /**
   * Runs a statement on the main connection and answers at once (the reads of PocketBase-style hooks, which are
   * synchronous): it sees the open write transaction's rows; `readOnly` refuses statements that don't read. Only on
   * SQLite: see `canQuerySync`.
   */
  querySync<T = Record<string, unknown>>(sql: string, params?: readonly unknown[], readOnly = false): T[] {
    if (!(this.direct instanceof DirectSqliteExecutor)) {
      throw new Error('synchronous queries need the SQLite database');
    }
    return this.direct.querySync<T>(sql, params, readOnly);
  }

  /** True when `querySync` works (SQLite through better-sqlite3). */
  canQuerySync(): boolean {
    return this.direct instanceof DirectSqliteExecutor;
  }

  /**
   * SQLite's `data_version`: changes when another connection (process) commits. Synchronous on
   * better-sqlite3 (it is read on every request); null on other drivers.
   */
  dataVersion(): number | null {
    return this.direct instanceof DirectSqliteExecutor ? this.direct.dataVersion() : null;
  }

  /**
   * `dataVersion()` read once per turn of the event loop: a commit by another process that lands within the turn
   * is no different from one that lands just after it, and a request looked three times (the rate limiter's and
   * the auth guard's cache checks, the list totals). For per-request freshness checks; exact reads use the other.
   */
  dataVersionThisTurn(): number | null {
    return this.direct instanceof DirectSqliteExecutor ? this.direct.dataVersionThisTurn() : null;
  }

  /**
   * Sets the main connection's SQLite busy timeout (the read workers keep theirs). The data source opens with
   * a long one for start-up, where several processes create tables and rows at once; the app sets the
   * configured one once it serves (see DatabaseModule).
   */
  setBusyTimeout(ms: number): void {
    if (this.direct instanceof DirectSqliteExecutor) {
      this.direct.setBusyTimeout(ms);
    }
  }

  /**
   * Grows with every row this process writes (`total_changes()`, uncommitted rows too) and every rollback:
   * with `dataVersion()`, tells a cache whether anything may have changed since it read. Null off SQLite.
   */
  writeCount(): number | null {
    return this.direct instanceof DirectSqliteExecutor ? this.direct.totalChanges() + this.rollbacks : null;
  }

  /**
   * Called (before the statement) by writers of the rows an auth token is verified against: auth records,
   * collections, settings. Moves `sensitiveWriteCount()`.
   */
  noteSensitiveWrite(): void {
    this.sensitiveWrites++;
  }

  /**
   * Like `writeCount()`, but grows only with `noteSensitiveWrite()`, schema transactions (their start and end)
   * and rollbacks: with `dataVersion()`, tells the verified-token cache whether a token's auth record,
   * collection or secret may have changed. Null off SQLite.
   */
  sensitiveWriteCount(): number | null {
    return this.direct instanceof DirectSqliteExecutor ? this.sensitiveWrites + this.rollbacks : null;
  }

  override run(sql: string, params?: readonly unknown[]): Promise<number> {
    return this.direct.run(sql, params);
  }

  /**
   * Runs `fn` in one write transaction: committed when it resolves, rolled back when it throws.
   * On SQLite it is `BEGIN IMMEDIATE` straight on the connection (TypeORM's transaction calls cost more
   * than a record write); it can't run DDL: use `schemaTransaction` for that.
   */
  transaction<T>(fn: (tx: TxExecutor) => Promise<T>): Promise<T> {
    const direct = this.direct;
    if (!(direct instanceof DirectSqliteExecutor)) {
      return this.schemaTransaction(fn);
    }
    return this.serialize(async () => {
      try {
        return await direct.writeTransaction(() => fn(direct.withoutDdl()));
      } catch (error) {
        // Rolled back (or never begun): caches keyed by writeCount() must not trust what they read meanwhile.
        this.rollbacks++;
        throw error;
      }
    });
  }

  /**
   * A transaction that may also change tables and views (`tx.ddl`, TypeORM's query runner API). On SQLite
   * it is `BEGIN IMMEDIATE` too (TypeORM's own would begin deferred and could fail to upgrade to a write).
   */
  schemaTransaction<T>(fn: (tx: TxExecutor) => Promise<T>): Promise<T> {
    const direct = this.direct;
    if (direct instanceof DirectSqliteExecutor) {
      return this.serialize(async () => {
        // Raw SQL (migrations, table changes) may touch anything: the mark moves before and after.
        this.sensitiveWrites++;
        try {
          return await direct.writeTransaction(() => fn(direct));
        } finally {
          this.sensitiveWrites++;
        }
      });
    }
    return this.serialize(async () => {
      const runner = this.dataSource.createQueryRunner();
      await runner.startTransaction();
      try {
        const value = await fn(new RunnerExecutor(runner));
        await runner.commitTransaction();
        return value;
      } catch (error) {
        this.rollbacks++;
        await runner.rollbackTransaction();
        throw error;
      }
    });
  }

  /** One transaction at a time: SQLite has one writer and this process shares one connection. */
  private serialize<T>(work: () => Promise<T>): Promise<T> {
    const result = this.queue.then(work);
    this.queue = result.catch(() => undefined);
    return result;
  }

  /** A consistent copy of the database at the new file `file` while writes go on (see `snapshotSqlite`). */
  async backupTo(file: string): Promise<void> {
    const connection = (this.dataSource.driver as unknown as { databaseConnection?: SqliteConnection })
      .databaseConnection;
    if (!connection || connection.memory) {
      throw new Error('a backup needs the SQLite (better-sqlite3) driver on a database file');
    }
    await snapshotSqlite(connection.name, file);
  }

  async close(): Promise<void> {
    await this.queue;
    await this.pool?.close();
    if (this.dataSource.isInitialized) {
      await this.dataSource.destroy();
    }
  }
}
