import { NB_METRICS, ServiceUnavailableError } from '@lib/core';
import { retryBusy, unavailableIfBusy } from './sqlite-busy';

/** What a write group needs of the connection: statements that control the transaction, and whether one is open. */
export interface TransactionControl {
  control(sql: string): void;
  readonly inTransaction: boolean;
}

/** A group takes no more writes once it ran this many... */
const MAX_WRITES = 200;
/** ...or was open this long (ms): other processes on the same database wait for the lock meanwhile. */
const MAX_OPEN_MS = 20;

interface Write {
  work: () => Promise<unknown>;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

/**
 * Group commit for SQLite: the writes that arrive while a write transaction is open run in that transaction, one
 * after the other, each in a savepoint of its own, and the group commits once no write is waiting at the end of a
 * turn of the event loop (or it is full). One COMMIT (one WAL append of the pages the group touched) instead of
 * BEGIN … COMMIT per write. Each write keeps its guarantees:
 * - its promise resolves only after the COMMIT that holds it (acknowledged = committed);
 * - a write that throws is rolled back to its savepoint alone, the others go on; its error is answered once the
 *   transaction is over (as every answer: none comes while this process holds the write lock);
 * - when SQLite rolled the whole transaction back (an I/O error, a full disk) or the COMMIT fails, every write of
 *   the group that had succeeded rejects (a 503: it may be tried again), none is reported done.
 * `onRollback` is called for each write that rolled back (caches keyed by the write count).
 */
export class WriteGroups {
  /** Groups committed (part of `Database.writeCount()`). */
  commits = 0;
  private pending: Write[] = [];
  private open = false;
  private wake: (() => void) | null = null;

  constructor(
    private readonly connection: TransactionControl,
    private readonly serialize: (work: () => Promise<void>) => Promise<void>,
    private readonly onRollback: () => void,
  ) {}

  run<T>(work: () => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.pending.push({ work, resolve: resolve as (value: unknown) => void, reject });
      if (this.open) {
        this.wake?.();
      } else {
        this.start();
      }
    });
  }

  private start(): void {
    this.open = true;
    void this.serialize(() => this.group());
  }

  /** One transaction: BEGIN, the writes as they come, COMMIT; writes left when it is full go to the next one. */
  private async group(): Promise<void> {
    try {
      await retryBusy(() => this.connection.control('BEGIN IMMEDIATE'));
    } catch (error) {
      const all = this.pending;
      this.pending = [];
      this.open = false;
      this.fail(all, unavailableIfBusy(error));
      return;
    }
    const done: Done[] = [];
    let closed = false;
    try {
      await this.runWrites(done);
      closed = true;
      this.close();
      await retryBusy(() => this.connection.control('COMMIT'));
    } catch (error) {
      if (!closed) {
        this.close();
      }
      this.rollBack();
      const lost = error instanceof GroupLost ? error.reason : unavailableIfBusy(error);
      for (const d of done) {
        if (!d.failed) {
          this.onRollback();
        }
        d.write.reject(d.failed ? d.outcome : lost);
      }
      return;
    }
    this.commits++;
    NB_METRICS.sqliteCommits.inc();
    NB_METRICS.sqliteCommittedWrites.inc(done.filter((d) => !d.failed).length);
    for (const d of done) {
      if (d.failed) {
        d.write.reject(d.outcome);
      } else {
        d.write.resolve(d.outcome);
      }
    }
  }

  /** Runs the writes as they come until none is waiting at the end of a turn, or the group is full. */
  private async runWrites(done: Done[]): Promise<void> {
    const started = performance.now();
    for (let count = 0; count < MAX_WRITES && performance.now() - started < MAX_OPEN_MS; count++) {
      const write = this.pending.shift() ?? ((await this.arrivalThisTurn()) ? this.pending.shift() : undefined);
      if (!write) {
        return;
      }
      await this.runOne(write, done);
    }
  }

  /**
   * Runs one write in a savepoint: kept, or rolled back to its savepoint (its error is answered with the others,
   * once the transaction is over: no answer comes while this process still holds the write lock).
   */
  private async runOne(write: Write, done: Done[]): Promise<void> {
    try {
      this.connection.control('SAVEPOINT nb_write');
      const value = await write.work();
      this.connection.control('RELEASE nb_write');
      done.push({ write, failed: false, outcome: value });
    } catch (error) {
      const kept = this.rollBackTo();
      this.onRollback();
      done.push({ write, failed: true, outcome: unavailableIfBusy(error) });
      if (!kept) {
        // SQLite rolled the whole transaction back (an I/O error, a full disk): the writes before are undone too.
        throw new GroupLost(new ServiceUnavailableError('The database could not save the change, please try again.'));
      }
    }
  }

  /** Undoes the current write; false when the transaction itself is gone. */
  private rollBackTo(): boolean {
    if (!this.connection.inTransaction) {
      return false;
    }
    try {
      this.connection.control('ROLLBACK TO nb_write');
      this.connection.control('RELEASE nb_write');
      return true;
    } catch {
      return false;
    }
  }

  private rollBack(): void {
    try {
      if (this.connection.inTransaction) {
        this.connection.control('ROLLBACK');
      }
    } catch {
      // Nothing more to undo here: SQLite ends a transaction it can't roll back with the connection.
    }
  }

  /** Whether a write arrives before the event loop's turn ends (requests read meanwhile join the group). */
  private arrivalThisTurn(): Promise<boolean> {
    return new Promise<boolean>((resolve) => {
      this.wake = () => resolve(true);
      setImmediate(() => resolve(this.pending.length > 0));
    }).finally(() => (this.wake = null));
  }

  /** Takes no more writes: those still waiting start the next group (after this one's COMMIT). */
  private close(): void {
    this.wake = null;
    this.open = false;
    if (this.pending.length > 0) {
      this.start();
    }
  }

  private fail(writes: Write[], error: unknown): void {
    for (const write of writes) {
      this.onRollback();
      write.reject(error);
    }
  }
}

/** A write the group ran: its value, or its error when it `failed` (rolled back to its savepoint). */
interface Done {
  write: Write;
  failed: boolean;
  outcome: unknown;
}

/** The transaction was rolled back under the group: `reason` is what the writes it had done answer. */
class GroupLost extends Error {
  constructor(readonly reason: unknown) {
    super('write group lost');
  }
}
