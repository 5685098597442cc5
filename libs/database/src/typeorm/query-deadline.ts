// No project imports: the read worker thread loads this file.

/** The SQL function compiled joins call (see the query lib's `interruptCheck`). */
export const INTERRUPT_FUNCTION = 'nb_tick';
/** The message the interrupt function throws with; SQLite aborts the statement and better-sqlite3 rethrows it. */
export const INTERRUPTED = 'nb: statement past its time limit';
/** Calls between two clock reads (a call costs ~0.2 µs, a clock read more). */
const CHECK_EVERY = 64;

interface FunctionHost {
  function(name: string, options: { deterministic: boolean; varargs: boolean }, fn: () => number): unknown;
}

/**
 * A deadline for the statement running on one connection: `nb_tick()` returns 1 until the deadline has
 * passed, then throws, which stops SQLite in the middle of the statement (better-sqlite3 has no
 * `sqlite3_interrupt`; a function the statement calls is the way in).
 */
export class QueryDeadline {
  private deadline = Infinity;
  private calls = 0;

  constructor(readonly timeoutMs: number) {}

  /** Registers the interrupt function on a better-sqlite3 connection. */
  install(db: FunctionHost): void {
    db.function(INTERRUPT_FUNCTION, { deterministic: false, varargs: false }, () => {
      if (++this.calls % CHECK_EVERY === 0 && performance.now() > this.deadline) {
        throw new Error(INTERRUPTED);
      }
      return 1;
    });
  }

  /** Runs one synchronous statement under the time limit (`ms`, default the configured one; 0: none). */
  run<T>(work: () => T, ms = this.timeoutMs): T {
    const outer = this.deadline;
    this.deadline = ms > 0 ? Math.min(outer, performance.now() + ms) : outer;
    try {
      return work();
    } finally {
      this.deadline = outer;
    }
  }
}

/** True for the error a statement stopped by its deadline fails with (here or in a read worker). */
export function isInterrupted(error: unknown): boolean {
  return error instanceof Error && error.message.includes(INTERRUPTED);
}
