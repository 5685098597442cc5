import { AsyncLocalStorage } from 'node:async_hooks';
import { Logger } from '@nestjs/common';
import { Pool } from 'pg';
import { NB_METRICS } from '@lib/core';
import { SqlExecutor, TxExecutor } from '../sql-executor';
import { isRetryable } from './postgres-errors';
import { PostgresExecutor } from './postgres-executor';

/** Runs of a transaction that failed on a serialization failure or a deadlock, before its 503. */
const SERIALIZATION_RETRIES = 3;

const logger = new Logger('Database');

/**
 * The advisory lock every schema transaction takes first: processes changing collections at once (two records
 * replicas, or services seeding the system collections together at start) do it one after the other, as
 * SQLite's `BEGIN IMMEDIATE` has them, so a check-then-create inside one sees the other's commit.
 */
const SCHEMA_LOCK = 7_301_991_205;
/** See `POSTGRES_AUTH_WRITES_SQL`. */
const WATCH_AUTH_TABLES = 'SELECT nb_watch_auth_tables()';
const BEGIN_SCHEMA = `BEGIN; SET LOCAL statement_timeout = 0; SELECT pg_advisory_xact_lock(${SCHEMA_LOCK})`;
/** Statements that only read (anything else counts as a write of this process: see `changeMark`). */
const READ = /^\s*SELECT\b/i;

/**
 * The PostgreSQL side of `Database`: statements on the pool; a transaction holds one client. Code that runs inside
 * a transaction but reaches for the database rather than its `tx` (as it may on SQLite, whose one connection sees
 * its own open transaction) is routed to the transaction's client, so it sees the uncommitted rows and never waits
 * on the transaction's own locks.
 */
export class PostgresDatabase extends SqlExecutor {
  private readonly open = new AsyncLocalStorage<PostgresExecutor>();
  private readonly pooled: PostgresExecutor;
  private readonly unmeasure: (() => void)[];
  /**
   * One connection of its own for the schema-stamp read every request waits for (`stampReads`): on the shared
   * pool that read queued behind the requests already waiting for a connection, so under load each request
   * waited for the others' queries, then for its own. Opened at the first read.
   */
  private readonly stampPool: Pool;
  /** See `stampPool`: inside a transaction, its client (whose own uncommitted changes then count). */
  readonly stampReads: SqlExecutor;
  /** Writes of this process, moved when each is sent and again when it ends (see `changeMark`). */
  private writes = 0;
  /** `pg_current_snapshot()` as the last stamp read saw it (see `changeMark`). */
  private snapshot: string | null = null;

  constructor(
    readonly pool: Pool,
    private readonly timeoutMs: number,
  ) {
    super();
    this.pooled = new PostgresExecutor(pool, timeoutMs, false);
    this.stampPool = new Pool({ ...pool.options, max: 1 });
    this.stampPool.on('error', () => undefined); // an idle client whose connection ended: replaced at the next read
    this.stampReads = new OwnConnection(this.open, new PostgresExecutor(this.stampPool, timeoutMs, false));
    // `nb_db_pool_*` on /metrics, read from the pool at each scrape
    this.unmeasure = [
      NB_METRICS.dbPoolConnections.addSource(() => pool.totalCount),
      NB_METRICS.dbPoolIdle.addSource(() => pool.idleCount),
      NB_METRICS.dbPoolWaiting.addSource(() => pool.waitingCount),
    ];
  }

  private current(): PostgresExecutor {
    return this.open.getStore() ?? this.pooled;
  }

  override query<T>(sql: string, params?: readonly unknown[]): Promise<T[]> {
    return READ.test(sql) ? this.current().query<T>(sql, params) : this.written(this.current().query<T>(sql, params));
  }

  override run(sql: string, params?: readonly unknown[]): Promise<number> {
    return this.written(this.current().run(sql, params));
  }

  /** Moves the write count now and again once `statement` has ended (see `changeMark`). */
  private written<T>(statement: Promise<T>): Promise<T> {
    this.writes++;
    return statement.finally(() => this.writes++);
  }

  /**
   * Records the database snapshot (`pg_current_snapshot()`) a stamp read saw. One read inside a transaction of this
   * process counts too (the requests that waited for it need its freshness): its snapshot leaves that transaction
   * out, whose end moves the write count.
   */
  noteSnapshot(snapshot: string): void {
    this.snapshot = snapshot;
  }

  /**
   * What a cache of query answers (the list totals) is keyed by, like SQLite's `data_version` + `total_changes()`:
   * the snapshot of the last stamp read (equal snapshots see the same committed rows: any commit or rollback
   * anywhere in the cluster changes it) and this process's write count, which moves when a write is sent and
   * again when it has ended, so an answer read while a write of this process was under way is never served after
   * it. A request's own stamp read starts after the request arrived (StoreSync), so with it the mark moves on
   * every commit another process answered before. Null inside a transaction or before the first stamp read.
   */
  changeMark(): string | null {
    return this.snapshot === null || this.open.getStore() ? null : `${this.snapshot}/${this.writes}`;
  }

  /** A transaction (READ COMMITTED); run again on a serialization failure or deadlock. `ddl`: a schema change. */
  async transaction<T>(fn: (tx: TxExecutor) => Promise<T>, ddl: boolean, onRollback: () => void): Promise<T> {
    const outer = this.open.getStore();
    if (outer) {
      return fn(outer); // already inside one (a hook's runInTransaction in a record write): the same
    }
    this.writes++;
    try {
      return await this.transactionAttempts(fn, ddl, onRollback);
    } finally {
      this.writes++;
    }
  }

  private async transactionAttempts<T>(
    fn: (tx: TxExecutor) => Promise<T>,
    ddl: boolean,
    onRollback: () => void,
  ): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      const client = await this.pool.connect();
      const tx = new PostgresExecutor(client, this.timeoutMs, ddl);
      try {
        await client.query(ddl ? BEGIN_SCHEMA : 'BEGIN');
        const value = await this.open.run(tx, () => fn(tx));
        if (ddl) {
          // A new auth collection's table gets its auth-write trigger in the transaction that creates it.
          await client.query(WATCH_AUTH_TABLES);
        }
        await client.query('COMMIT');
        return value;
      } catch (error) {
        onRollback();
        await client.query('ROLLBACK').catch(() => undefined);
        const original = (error as { cause?: unknown }).cause ?? error;
        if (isRetryable(error) || isRetryable(original)) {
          if (attempt < SERIALIZATION_RETRIES) {
            logger.warn(`transaction retried after ${(original as Error).message}`);
            continue;
          }
        }
        throw error;
      } finally {
        client.release();
      }
    }
  }

  /**
   * Runs `work` holding the session advisory lock `key` on one pooled connection for its whole duration (every
   * process on this database sees it; a process that dies drops its connection and with it the lock), or resolves
   * null at once when another session holds it.
   */
  async tryLocked<T>(key: number, work: () => Promise<T>): Promise<{ value: T } | null> {
    const client = await this.pool.connect();
    let held = false;
    let broken: Error | undefined;
    try {
      // a row only when the lock was taken (whatever the pool's boolean parser makes of the result)
      held = (await client.query('SELECT 1 WHERE pg_try_advisory_lock($1)', [key])).rowCount === 1;
      return held ? { value: await work() } : null;
    } finally {
      if (held) {
        // a connection that can't unlock is closed, not pooled: closing it ends the session and drops the lock
        await client.query('SELECT pg_advisory_unlock($1)', [key]).catch((error: Error) => (broken = error));
      }
      client.release(broken);
    }
  }

  async close(): Promise<void> {
    this.unmeasure.forEach((remove) => remove());
    await Promise.all([this.pool.end(), this.stampPool.end()]);
  }
}

/** Statements on `own` (a connection apart from the pool), or on the open transaction's client inside one. */
class OwnConnection extends SqlExecutor {
  constructor(
    private readonly open: AsyncLocalStorage<PostgresExecutor>,
    private readonly own: PostgresExecutor,
  ) {
    super();
  }

  override query<T>(sql: string, params?: readonly unknown[]): Promise<T[]> {
    return (this.open.getStore() ?? this.own).query<T>(sql, params);
  }

  override run(sql: string, params?: readonly unknown[]): Promise<number> {
    return (this.open.getStore() ?? this.own).run(sql, params);
  }
}
