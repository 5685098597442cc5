import type { Database } from '@lib/database';
import type { CollectionModel } from '@lib/schema';

const MAX_ENTRIES = 2000;
/** SQL whose answer depends on the clock or chance (`strftime('now')`, `random()`): never reused. */
const VOLATILE = /strftime|random|julianday|datetime|unixepoch/i;

/**
 * Totals of list requests reused while nothing was written (issue 16): an entry holds the count of one query
 * text + parameters and the database's change mark when the count began — SQLite's `data_version` (another
 * connection committed) and this connection's `total_changes()` plus rollbacks (`Database.writeCount()`); on
 * PostgreSQL (issue 19) the snapshot of the request's stamp read and this process's writes. Any write anywhere
 * makes every entry stale; paging through a list, or polling it, counts once.
 *
 * Why the mark is taken before the count: a count that runs on a read worker sees the commits made before it
 * began, so a write that lands while it runs changes the mark and the entry is never served. A count that runs on
 * the main connection inside an open write transaction (the reads of a transaction stay there) sees its
 * uncommitted rows, and those are in `total_changes()` too; a rollback moves the mark. A count on a read worker
 * while a write group is open doesn't see the group's rows: its commit moves the mark too.
 */
export class CountCache {
  private readonly entries = new Map<string, { mark: string; n: number }>();

  constructor(private readonly database: Database) {}

  /**
   * The database's change mark now (`Database.changeMark`), or null where the driver can't tell (then nothing is
   * cached). On PostgreSQL only for a list request: its mark is as new as the stamp read the request waited for.
   */
  mark(listRequest: boolean): string | null {
    return this.database.engine === 'postgres' && !listRequest ? null : this.database.changeMark();
  }

  /** The entry of one count; the collection's id and `updated` in it: DDL (a table made again) is no row change. */
  key(c: CollectionModel, sql: string, params: readonly unknown[]): string | null {
    return VOLATILE.test(sql) ? null : `${c.id}\n${c.updated}\n${sql}\n${JSON.stringify(params)}`;
  }

  get(key: string, mark: string): number | undefined {
    const hit = this.entries.get(key);
    return hit && hit.mark === mark ? hit.n : undefined;
  }

  set(key: string, mark: string, n: number): void {
    if (this.entries.size >= MAX_ENTRIES) {
      this.entries.clear();
    }
    this.entries.set(key, { mark, n });
  }
}
