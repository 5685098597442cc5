// The transaction boundary of RecordsService (`RecordDeps.database`) for unit specs: `transaction(fn)` runs
// `fn` and journals begin / commit / rollback. It holds no data: the in-memory repositories do, and a rolled
// back `fn` leaves their writes in place (a spec asserts what was published and journaled, not rollback data).
import type { TxExecutor } from '@lib/database';

export class FakeTransactions {
  /** Shared with RecordingEventBus: `begin`, `commit`, `rollback`, `publish <event>` in the order they ran. */
  constructor(readonly journal: string[] = []) {}

  /** Reads off the main thread in production; here the same (absent) executor. */
  readonly reads = undefined;

  async transaction<T>(fn: (tx: TxExecutor) => Promise<T>): Promise<T> {
    this.journal.push('begin');
    try {
      const result = await fn(NO_SQL);
      this.journal.push('commit');
      return result;
    } catch (error) {
      this.journal.push('rollback');
      throw error;
    }
  }
}

/** The executor handed to repositories: the in-memory ones never use it; anything that runs SQL fails loudly. */
const NO_SQL = new Proxy({} as TxExecutor, {
  get: (_target, key) => {
    if (key === 'then') {
      return undefined;
    }
    throw new Error(`a unit spec ran SQL (${String(key)}): use an in-memory repository`);
  },
});
