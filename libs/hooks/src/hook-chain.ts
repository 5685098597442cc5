import { ApiError, BadRequestError } from '@lib/core';

/** What every chained hook event has: `next()` runs the rest of the chain, then the operation. */
export interface Chained {
  next(): Promise<void>;
}

export type ChainHandler<E> = (e: E) => unknown;

/** Errors that came out of `e.next()` (the operation's own errors) keep their status. */
const passedThrough = new WeakSet<object>();

/**
 * Runs `handlers` in order around `last`. Each handler gets the event with `e.next()` bound to the rest of
 * the chain; code before `await e.next()` runs before the operation, code after it runs after. A handler
 * that returns without calling `e.next()` stops the chain (the result is false: `last` did not run),
 * unless `autoNext` is set (before-style hooks and lifecycle hooks). Errors a handler throws become
 * `ApiError`s (`hookError`); errors of the operation pass through unchanged.
 */
export async function runChain<E extends Chained>(
  handlers: readonly ChainHandler<E>[],
  event: E,
  last: () => Promise<void>,
  autoNext = false,
): Promise<boolean> {
  let reached = false;
  const step = async (i: number): Promise<void> => {
    if (i === handlers.length) {
      reached = true;
      await last();
      return;
    }
    let called = false;
    const next = async (): Promise<void> => {
      if (called) {
        return;
      }
      called = true;
      try {
        await step(i + 1);
      } catch (error) {
        if (error && typeof error === 'object') {
          passedThrough.add(error);
        }
        throw error;
      }
    };
    event.next = next;
    try {
      await handlers[i](event);
    } catch (error) {
      if (error instanceof Error && passedThrough.has(error)) {
        throw error;
      }
      throw hookError(error);
    }
    if (!called && autoNext) {
      await next();
    }
  };
  await step(0);
  return reached;
}

/**
 * An error thrown by hook code as the client sees it: an `ApiError` as is; anything with a numeric
 * `status` (400–599) keeps that status; anything else is a 400 carrying its message.
 */
export function hookError(error: unknown): ApiError {
  if (error instanceof ApiError) {
    return error;
  }
  const e = (error ?? {}) as { status?: unknown; message?: unknown; data?: unknown };
  const message = typeof e.message === 'string' && e.message !== '' ? e.message : String(error);
  if (typeof e.status === 'number' && e.status >= 400 && e.status <= 599) {
    const data = e.data && typeof e.data === 'object' ? (e.data as Record<string, unknown>) : {};
    return new ApiError(e.status, message, data);
  }
  return new BadRequestError(message);
}
