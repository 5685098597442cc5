import { Logger } from '@nestjs/common';
import { NB_METRICS, ServiceUnavailableError } from '@lib/core';

/** Tries after the first one, when SQLite still answers SQLITE_BUSY once its busy timeout ran out. */
export const BUSY_RETRIES = 3;
const BACKOFF_MS = 25;

const logger = new Logger('Database');

/** SQLITE_BUSY (and its extended codes), from better-sqlite3 directly or wrapped by TypeORM. */
export function isBusy(error: unknown): boolean {
  const code =
    (error as { code?: unknown } | null)?.code ??
    (error as { driverError?: { code?: unknown } } | null)?.driverError?.code;
  return typeof code === 'string' && code.startsWith('SQLITE_BUSY');
}

/**
 * Runs `step` again (up to `BUSY_RETRIES` times, with jittered exponential back-off) while it fails with
 * SQLITE_BUSY. Only for steps that did nothing when they failed: `BEGIN IMMEDIATE`, and `COMMIT` (after a
 * busy COMMIT the transaction is still open, so it can be committed again).
 */
export async function retryBusy<T>(step: () => T | Promise<T>): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await step();
    } catch (error) {
      if (!isBusy(error) || attempt >= BUSY_RETRIES) {
        throw error;
      }
      NB_METRICS.sqliteBusyRetries.inc();
      await new Promise((resolve) => setTimeout(resolve, BACKOFF_MS * 2 ** attempt * (0.5 + Math.random())));
    }
  }
}

/**
 * A SQLITE_BUSY that got through the busy timeout (and the retries) becomes a 503 in PocketBase's envelope:
 * another process holds the database for now and the client may try again. Other errors pass unchanged.
 */
export function unavailableIfBusy(error: unknown): unknown {
  if (!isBusy(error)) {
    return error;
  }
  NB_METRICS.sqliteBusyErrors.inc();
  logger.warn(`database busy: ${(error as Error).message}`);
  return new ServiceUnavailableError('The database is busy, please try again.');
}
