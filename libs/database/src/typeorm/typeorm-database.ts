import { DataSource } from 'typeorm';
import { BadRequestError } from '@lib/core';
import { SqlExecutor, TxExecutor } from '../sql-executor';
import { TypeormTableDdl } from './typeorm-table-ddl';
import { snapshotSqlite } from './sqlite-snapshot';
import { QueryDeadline } from './query-deadline';
import { ReadPool } from './read-pool';
import { OffloadedReads } from './offloaded-reads';
import { WriteGroups } from './write-groups';
import { DirectSqliteExecutor, RunnerExecutor, type SqliteConnection } from './sqlite-executor';
import { PostgresDatabase } from '../postgres/postgres-database';

/** What one request's queries may cost. */
export interface QueryLimits {
  /** Time limit of one read statement in ms (0: none). */
  queryTimeoutMs: number;
  /** Worker threads for `Database.reads` (0: they run on the main connection). */
  readWorkers: number;
  /** The read workers' SQLite busy timeout. */
  busyTimeoutMs?: number;
}

/**
 * The data source seen by repositories: reads run directly; write transactions are serialized,
 * because SQLite has one writer and the better-sqlite3 driver shares one connection per process.
 */
const SYNC_ON_POSTGRES =
  'Synchronous queries need SQLite (on PostgreSQL the $app reads of PocketBase-style hooks are awaited instead).';

export class Database extends SqlExecutor {
  private queue: Promise<unknown> = Promise.resolve();
  private readonly direct: SqlExecutor;
  /** The PostgreSQL pool's side (null on SQLite). */
  private readonly postgres: PostgresDatabase | null = null;
  /** The database this process speaks: SQLite (`<dataDir>/data.db`) or PostgreSQL (`DATABASE_URL`). */
  readonly engine: 'sqlite' | 'postgres';
  /** TypeORM's data source of the SQLite file (null on PostgreSQL: the pool is `postgres.pool`). */
  readonly dataSource: DataSource | null;
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
  /**
   * Where StoreSync reads the schema stamp: on PostgreSQL a connection of its own, so the read every request waits
   * for doesn't queue behind the pool's waiting requests (see `PostgresDatabase.stampReads`); this database on SQLite.
   */
  readonly stampReads: SqlExecutor;

  constructor(source: DataSource | PostgresDatabase, limits: QueryLimits = { queryTimeoutMs: 0, readWorkers: 0 }) {
    super();
    if (source instanceof PostgresDatabase) {
      this.engine = 'postgres';
      this.dataSource = null;
      this.postgres = source;
      this.direct = source;
      this.reads = this;
      this.stampReads = source.stampReads;
      return;
    }
    this.engine = 'sqlite';
    this.stampReads = this;
    const dataSource = (this.dataSource = source);
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

  /**
   * `column = ?` ignoring ASCII case: SQLite's `COLLATE NOCASE`; `lower()` on both sides on PostgreSQL (which also
   * folds non-ASCII letters).
   */
  equalsNoCase(column: string): string {
    return this.postgres ? `lower(${column}) = lower(?)` : `${column} = ? COLLATE NOCASE`;
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
      throw new BadRequestError(SYNC_ON_POSTGRES);
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
   * What a cache of query answers (the list totals) is keyed by: any change to the rows it may have read moves it.
   * SQLite: `dataVersionThisTurn()` and `writeCount()`. PostgreSQL: the snapshot of the last stamp read
   * (`notePostgresSnapshot`) and this process's writes (see `PostgresDatabase.changeMark`), valid only for a request
   * that waited for a stamp read started after it arrived (StoreSync), null inside a transaction. Null otherwise.
   */
  changeMark(): string | null {
    if (this.postgres) {
      return this.postgres.changeMark();
    }
    const version = this.dataVersionThisTurn();
    const writes = this.writeCount();
    return version === null || writes === null ? null : `${version}:${writes}`;
  }

  /** PostgreSQL: the `pg_current_snapshot()` a schema stamp read saw (see `changeMark`). */
  notePostgresSnapshot(snapshot: string): void {
    this.postgres?.noteSnapshot(snapshot);
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
   * Grows with every row this process writes (`total_changes()`, uncommitted rows too), every rollback and every
   * commit of a write group (a read worker's count taken while a group was open didn't see its rows, which the
   * commit makes visible): with `dataVersion()`, tells a cache whether anything may have changed since it read.
   * Null off SQLite.
   */
  writeCount(): number | null {
    return this.direct instanceof DirectSqliteExecutor
      ? this.direct.totalChanges() + this.rollbacks + (this.groups?.commits ?? 0)
      : null;
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
   * and rollbacks: with `dataVersion()` (on PostgreSQL, the auth-write counter), tells the verified-token cache
   * whether a token's auth record, collection or secret may have changed. Null on other drivers.
   */
  sensitiveWriteCount(): number | null {
    return this.direct instanceof DirectSqliteExecutor || this.postgres ? this.sensitiveWrites + this.rollbacks : null;
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
    if (this.postgres) {
      return this.postgres.transaction(fn, false, () => this.rollbacks++);
    }
    const direct = this.direct;
    if (!(direct instanceof DirectSqliteExecutor)) {
      return this.schemaTransaction(fn);
    }
    // Group commit: writes that arrive while one is open share its transaction, each in its own savepoint.
    // A rolled back (or never begun) write moves the rollback count: caches keyed by writeCount() must not trust
    // what they read meanwhile.
    this.groups ??= new WriteGroups(
      direct,
      (work) => this.serialize(work),
      () => this.rollbacks++,
    );
    const tx = direct.withoutDdl();
    return this.groups.run(() => fn(tx));
  }

  private groups: WriteGroups | undefined;

  /**
   * A transaction that may also change tables and views (`tx.ddl`, TypeORM's query runner API). On SQLite
   * it is `BEGIN IMMEDIATE` too (TypeORM's own would begin deferred and could fail to upgrade to a write).
   */
  schemaTransaction<T>(fn: (tx: TxExecutor) => Promise<T>): Promise<T> {
    if (this.postgres) {
      const postgres = this.postgres;
      this.sensitiveWrites++;
      return postgres.transaction(fn, true, () => this.rollbacks++).finally(() => this.sensitiveWrites++);
    }
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
      const runner = this.dataSource!.createQueryRunner();
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

  /**
   * Runs `work` unless another process on this database runs work under the same `key` (then resolves null at
   * once). PostgreSQL: a session advisory lock held on one pooled connection for the work's duration, so replicas
   * sharing the database take turns. SQLite: runs `work` (one process serves a data dir's backups and crons: the
   * caller's own lock in that process is the lock).
   */
  async tryExclusive<T>(key: number, work: () => Promise<T>): Promise<{ value: T } | null> {
    return this.postgres ? this.postgres.tryLocked(key, work) : { value: await work() };
  }

  /** One transaction at a time: SQLite has one writer and this process shares one connection. */
  private serialize<T>(work: () => Promise<T>): Promise<T> {
    const result = this.queue.then(work);
    this.queue = result.catch(() => undefined);
    return result;
  }

  /** A consistent copy of the database at the new file `file` while writes go on (see `snapshotSqlite`). */
  async backupTo(file: string): Promise<void> {
    if (!this.dataSource) {
      throw new BadRequestError(
        'Backups are not supported on PostgreSQL yet: back the database up with pg_dump (see the README).',
      );
    }
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
    await this.postgres?.close();
    if (this.dataSource?.isInitialized) {
      await this.dataSource.destroy();
    }
  }
}
