import type { Pool, PoolClient, QueryResult } from 'pg';
import { pg } from './pg-module';
import { TableDdl, TxExecutor } from '../sql-executor';
import { tracedSql } from '../typeorm/sql-trace';
import { fromPostgresError, isStalePlan } from './postgres-errors';
import { toPostgresPlaceholders } from './postgres-support';
import { PostgresTableDdl } from './postgres-table-ddl';

const TEXT_CACHE = 2000;
/** Statement names handed out in this process: each pool connection may prepare as many (PostgreSQL keeps them). */
const MAX_NAMED = 1000;
/** What may be prepared: plain reads and row writes (DDL and the like run unnamed). */
const PREPARABLE = /^\s*(SELECT|INSERT|UPDATE|DELETE|WITH)\b/i;

interface Statement {
  text: string;
  /** Set on the hot texts: each connection parses and plans it once (`pg`'s `{ name, text, values }`). */
  name?: string;
}

const statements = new Map<string, Statement>();
let named = 0;

/**
 * A statement's PostgreSQL text (`?` → `$n`) and name, remembered per SQLite-shaped text (the hot paths run the
 * same few). A name is never given to another text (a connection keeps what it prepared under it); past
 * `MAX_NAMED` names, new texts run unnamed.
 */
export function pgStatement(sql: string): Statement {
  let statement = statements.get(sql);
  if (statement === undefined) {
    const text = toPostgresPlaceholders(sql);
    statement = named < MAX_NAMED && PREPARABLE.test(sql) ? { text, name: `nb_${named++}` } : { text };
    if (statements.size >= TEXT_CACHE) {
      statements.clear();
    }
    statements.set(sql, statement);
  }
  return statement;
}

/**
 * After PostgreSQL refused a prepared statement whose result columns changed (another process altered the table
 * that `SELECT *` or `RETURNING *` reads): the text runs under a new name, prepared afresh on each connection.
 */
function renamed(sql: string): void {
  const old = statements.get(sql);
  if (old?.name) {
    statements.set(sql, named < MAX_NAMED ? { text: old.text, name: `nb_${named++}` } : { text: old.text });
  }
}

/** Values as the repositories bind them on SQLite (booleans as 1/0); PostgreSQL casts them by context. */
function bindable(value: unknown): unknown {
  return typeof value === 'boolean' ? (value ? 1 : 0) : value === undefined ? null : value;
}

/**
 * Runs the repositories' SQLite-shaped SQL (`?` placeholders) on a pg pool or one client (a transaction). Rows
 * come back shaped as SQLite's (see `openPostgres`' type parsers): booleans 1/0, JSON as its text, counts as numbers.
 */
export class PostgresExecutor extends TxExecutor {
  readonly ddl: TableDdl;
  /** On the pool (each statement on its own), not one client's transaction. */
  private readonly pooled: boolean;

  constructor(
    private readonly target: Pool | PoolClient,
    private readonly timeoutMs: number,
    allowDdl: boolean,
  ) {
    super();
    this.pooled = target instanceof pg().Pool;
    this.ddl = allowDdl ? new PostgresTableDdl(this, target) : noDdl();
  }

  override query<T>(sql: string, params: readonly unknown[] = []): Promise<T[]> {
    return tracedSql(sql, () => this.queryNow<T>(sql, params), 'postgresql');
  }

  override run(sql: string, params: readonly unknown[] = []): Promise<number> {
    return tracedSql(sql, () => this.runNow(sql, params), 'postgresql');
  }

  private async queryNow<T>(sql: string, params: readonly unknown[]): Promise<T[]> {
    return (await this.send(sql, params)).rows as T[];
  }

  private async runNow(sql: string, params: readonly unknown[]): Promise<number> {
    return (await this.send(sql, params)).rowCount ?? 0;
  }

  private async send(sql: string, params: readonly unknown[]): Promise<QueryResult> {
    const values = params.map(bindable);
    try {
      try {
        return await this.target.query({ ...pgStatement(sql), values });
      } catch (error) {
        if (!isStalePlan(error)) {
          throw error;
        }
        renamed(sql);
        if (!this.pooled) {
          throw error; // the transaction is aborted: it runs again (isRetryable), under the new name
        }
        return await this.target.query({ ...pgStatement(sql), values });
      }
    } catch (error) {
      throw fromPostgresError(error, this.timeoutMs);
    }
  }
}

function noDdl(): TableDdl {
  return new Proxy({} as TableDdl, {
    get() {
      throw new Error('DDL needs Database.schemaTransaction');
    },
  });
}
