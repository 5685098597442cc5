import { existsSync } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import * as path from 'node:path';
import { randomString } from '@lib/core';
import {
  Database,
  openDataSource,
  openPostgres,
  PostgresDatabase,
  quoteIdentifier as q,
  type TxExecutor,
} from '@lib/database';

/** The system tables a copy fills (besides one table or view per collection). */
export const COPIED_SYSTEM_TABLES = ['_collections', '_params', '_migrations'];

/**
 * The database a copy writes, with nestbase's migrations applied. Everything is written in one transaction;
 * nothing is visible at the target until `commit` (PostgreSQL: the transaction's commit; SQLite: a new file in a
 * temporary directory beside the target, renamed over it).
 */
export interface CopyTarget {
  readonly engine: 'sqlite' | 'postgres';
  /** What to call it in messages (a URL's password is hidden). */
  readonly label: string;
  isEmpty(): Promise<boolean>;
  /** Runs `fn` in the one transaction that may change tables (rolled back if it throws). */
  transaction<T>(fn: (tx: TxExecutor) => Promise<T>): Promise<T>;
  /** Removes the target's collections and system rows (inside the transaction), for `--replace`. */
  clear(tx: TxExecutor): Promise<void>;
  /** Puts the written database in place and closes it. */
  commit(): Promise<void>;
  /** Closes the target leaving it as it was. */
  abort(): Promise<void>;
}

const hidePassword = (url: string): string => url.replace(/\/\/([^:/@]*):[^@]*@/, '//$1:***@');

async function hasRows(db: Database): Promise<boolean> {
  for (const table of COPIED_SYSTEM_TABLES) {
    const rows = await db.query<{ n: number }>(`SELECT count(*) AS n FROM ${q(table)}`);
    if (Number(rows[0].n) > 0) {
      return true;
    }
  }
  return false;
}

class PostgresCopyTarget implements CopyTarget {
  readonly engine = 'postgres';

  constructor(
    private readonly db: Database,
    readonly label: string,
  ) {}

  isEmpty(): Promise<boolean> {
    return hasRows(this.db).then((rows) => !rows);
  }

  transaction<T>(fn: (tx: TxExecutor) => Promise<T>): Promise<T> {
    return this.db.schemaTransaction(fn);
  }

  async clear(tx: TxExecutor): Promise<void> {
    const current = await tx.query<{ name: string; type: string }>('SELECT "name", "type" FROM "_collections"');
    for (const c of current.filter((c) => c.type === 'view')) {
      await tx.run(`DROP VIEW IF EXISTS ${q(c.name)} CASCADE`);
    }
    for (const c of current.filter((c) => c.type !== 'view')) {
      await tx.run(`DROP TABLE IF EXISTS ${q(c.name)} CASCADE`);
    }
    for (const table of COPIED_SYSTEM_TABLES) {
      await tx.run(`DELETE FROM ${q(table)}`);
    }
  }

  commit(): Promise<void> {
    return this.db.close();
  }

  abort(): Promise<void> {
    return this.db.close();
  }
}

class SqliteCopyTarget implements CopyTarget {
  readonly engine = 'sqlite';

  constructor(
    private readonly db: Database,
    private readonly work: string,
    private readonly file: string,
  ) {}

  get label(): string {
    return this.file;
  }

  /** A database file at the target is not empty (even if a server only created its system collections). */
  isEmpty(): Promise<boolean> {
    return Promise.resolve(!existsSync(this.file));
  }

  transaction<T>(fn: (tx: TxExecutor) => Promise<T>): Promise<T> {
    return this.db.schemaTransaction(fn);
  }

  /** Nothing to clear: the copy is a new file. */
  async clear(): Promise<void> {}

  async commit(): Promise<void> {
    await this.db.close();
    // The old database's journal must not be applied to the new file.
    await rm(`${this.file}-wal`, { force: true });
    await rm(`${this.file}-shm`, { force: true });
    await rename(path.join(this.work, 'data.db'), this.file);
    await rm(this.work, { recursive: true, force: true });
  }

  async abort(): Promise<void> {
    await this.db.close().catch(() => undefined);
    await rm(this.work, { recursive: true, force: true });
  }
}

/** Opens `to`: a `postgres://` URL, or the SQLite database file to (re)place. */
export async function openCopyTarget(to: string): Promise<CopyTarget> {
  if (/^postgres(ql)?:\/\//.test(to)) {
    const pool = await openPostgres({ url: to, poolMax: 2, statementTimeoutMs: 0 });
    return new PostgresCopyTarget(new Database(new PostgresDatabase(pool, 0)), hidePassword(to));
  }
  const work = path.join(path.dirname(to), `.dbcopy-${randomString(8)}`);
  try {
    const dataSource = await openDataSource({ dataDir: work, busyTimeoutMs: 10_000 });
    return new SqliteCopyTarget(new Database(dataSource), work, to);
  } catch (error) {
    await rm(work, { recursive: true, force: true });
    throw error;
  }
}
