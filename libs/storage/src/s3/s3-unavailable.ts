import { Logger } from '@nestjs/common';
import { ServiceUnavailableError } from '@lib/core';

const UNREACHABLE = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
  'EPIPE',
]);
const logger = new Logger('S3');

/**
 * S3 can't be reached, or answers with a server error: a 503 for the request (the client may try again; a
 * job retries), the cause in the log. Anything else (a refused key, a missing bucket) passes unchanged.
 */
function unavailableIfDown(error: unknown): unknown {
  const e = error as { code?: unknown; cause?: { code?: unknown }; statusCode?: unknown };
  const code = typeof e?.code === 'string' ? e.code : typeof e?.cause?.code === 'string' ? e.cause.code : '';
  const serverError = typeof e?.statusCode === 'number' && e.statusCode >= 500;
  if (!UNREACHABLE.has(code) && !serverError) {
    return error;
  }
  logger.warn(`file storage unavailable: ${error instanceof Error ? error.message : String(error)}`);
  return new ServiceUnavailableError('The file storage is unavailable, please try again.');
}

/** A kept-alive connection the server closed as the request went out (its idle timeout): worth one more try. */
function connectionReset(error: unknown): boolean {
  const e = error as { code?: unknown; cause?: { code?: unknown } };
  const code = typeof e?.code === 'string' ? e.code : typeof e?.cause?.code === 'string' ? e.cause.code : '';
  return code === 'ECONNRESET' || code === 'EPIPE';
}

/**
 * Runs an idempotent S3 call (a read, a list, a delete: nothing a second run could double), once more on a new
 * connection when the first was reset: an S3 server closes idle kept-alive connections (s3rver after 5 s), and a
 * request sent on one as it closes fails with ECONNRESET though the server is up. Other errors pass unchanged.
 */
export async function retryReset<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (!connectionReset(error)) {
      throw error;
    }
    return call();
  }
}

/** Runs an S3 call, turning "S3 is down" into a 503; an `idempotent` one goes through `retryReset` first. */
export async function guarded<T>(call: () => Promise<T>, idempotent = false): Promise<T> {
  try {
    return await (idempotent ? retryReset(call) : call());
  } catch (error) {
    throw unavailableIfDown(error);
  }
}
