/** The promise-like answer of a queued app call; `await` it (or `.then`) to use its value or catch its error. */
export interface Queued<T> extends PromiseLike<T> {
  catch<R = never>(onRejected: (reason: unknown) => R | PromiseLike<R>): Promise<T | R>;
  finally(onFinally: () => void): Promise<T>;
}

/** Where each failed call was made: its caller's stack, for the migration file's line. */
const CALL_SITES = new WeakMap<object, string>();

/** The stack of the app call that failed with `error` (when it came from a queued call). */
export function callSite(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null ? CALL_SITES.get(error) : undefined;
}

/**
 * The app calls of one migration, run one after another in call order. A migration written without `await`, as
 * PocketBase's are (`app.save(a); app.save(b)`), gets its writes in order, and the runner waits for all of them
 * before it commits (`drain`). A call whose answer nobody awaits and that fails fails the migration, and the calls
 * after it are skipped; one whose answer is awaited leaves the failure to the code that awaited it.
 */
export class MigrationQueue {
  private tail: Promise<unknown> = Promise.resolve();
  private failure: { error: unknown } | null = null;
  private stopped = false;

  push<T>(work: () => Promise<T> | T): Queued<T> {
    const site = new Error('call site').stack ?? '';
    let awaited = false;
    const result = this.tail.then(() => (this.stopped ? (undefined as T) : work()));
    this.tail = result.then(
      () => undefined,
      (error: unknown) => {
        if (typeof error === 'object' && error !== null && !CALL_SITES.has(error)) {
          CALL_SITES.set(error, site);
        }
        if (!awaited) {
          this.failure ??= { error };
          this.stopped = true;
        }
      },
    );
    const observe = () => {
      awaited = true;
      return result;
    };
    return {
      then: (onFulfilled, onRejected) => observe().then(onFulfilled, onRejected),
      catch: (onRejected) => observe().catch(onRejected),
      finally: (onFinally) => observe().finally(onFinally),
    };
  }

  /** Calls queued from now on are skipped (the migration failed). */
  stop(): void {
    this.stopped = true;
  }

  /** Waits for every call queued so far and those they queue; throws the first failure nobody awaited. */
  async drain(): Promise<void> {
    let seen: Promise<unknown>;
    do {
      seen = this.tail;
      await seen;
    } while (seen !== this.tail);
    if (this.failure) {
      throw this.failure.error;
    }
  }
}
