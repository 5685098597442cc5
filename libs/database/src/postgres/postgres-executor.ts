import type { Pool, PoolClient } from 'pg';
import { TableDdl, TxExecutor } from '../sql-executor';
import { tracedSql } from '../typeorm/sql-trace';
import { fromPostgresError } from './postgres-errors';
import { toPostgresPlaceholders } from './postgres-support';
import { PostgresTableDdl } from './postgres-table-ddl';

const TEXT_CACHE = 2000;
const texts = new Map<string, string>();

/** `?` → `$n`, remembered per statement text (the hot paths run the same few texts). */
export function pgText(sql: string): string {
  let text = texts.get(sql);
  if (text === undefined) {
    text = toPostgresPlaceholders(sql);
    if (texts.size >= TEXT_CACHE) {
      texts.clear();
    }
    texts.set(sql, text);
  }
  return text;
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

  constructor(
    private readonly target: Pool | PoolClient,
    private readonly timeoutMs: number,
    allowDdl: boolean,
  ) {
    super();
    this.ddl = allowDdl ? new PostgresTableDdl(this, target) : noDdl();
  }

  override query<T>(sql: string, params: readonly unknown[] = []): Promise<T[]> {
    return tracedSql(sql, () => this.queryNow<T>(sql, params), 'postgresql');
  }

  override run(sql: string, params: readonly unknown[] = []): Promise<number> {
    return tracedSql(sql, () => this.runNow(sql, params), 'postgresql');
  }

  private async queryNow<T>(sql: string, params: readonly unknown[]): Promise<T[]> {
    try {
      const result = await this.target.query(pgText(sql), params.map(bindable));
      return result.rows as T[];
    } catch (error) {
      throw fromPostgresError(error, this.timeoutMs);
    }
  }

  private async runNow(sql: string, params: readonly unknown[]): Promise<number> {
    try {
      const result = await this.target.query(pgText(sql), params.map(bindable));
      return result.rowCount ?? 0;
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
