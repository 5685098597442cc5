import * as net from 'node:net';
import * as tls from 'node:tls';
import { Logger } from '@nestjs/common';

/** A service this process needs (Redis) that can't be reached: one line on stderr and exit 1, no stack trace. */
export class DependencyError extends Error {}

/** How long start-up waits for Redis (compose may start it a little after this process). */
export const REDIS_WAIT_MS = 30_000;
const RETRY_MS = 500;
const PROGRESS_MS = 5_000;

/** One PING on a fresh connection: resolves when Redis answers (any reply: an auth error still means it's up). */
function ping(url: URL, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const port = Number(url.port || 6379);
    const host = url.hostname || '127.0.0.1';
    const socket =
      url.protocol === 'rediss:' ? tls.connect({ host, port, servername: host }) : net.connect({ host, port });
    const done = (error?: Error) => {
      socket.destroy();
      if (error) {
        reject(error);
      } else {
        resolve();
      }
    };
    socket.setTimeout(timeoutMs, () => done(new Error(`no answer within ${timeoutMs} ms`)));
    socket.once('error', (error: Error) => done(error));
    socket.once(url.protocol === 'rediss:' ? 'secureConnect' : 'connect', () => socket.write('PING\r\n'));
    socket.once('data', () => done());
  });
}

/**
 * Waits until Redis at `redisUrl` answers, for at most `waitMs` (a line every few seconds while it waits), then
 * throws a DependencyError naming the last failure. Done once at start, before any client is made, so that an
 * unreachable Redis is one clear line instead of every client's retries.
 */
export async function waitForRedis(redisUrl: string, waitMs = REDIS_WAIT_MS): Promise<void> {
  const url = new URL(redisUrl);
  const logger = new Logger('Redis');
  const started = Date.now();
  let lastProgress = started;
  for (;;) {
    try {
      await ping(url, Math.min(5_000, waitMs));
      return;
    } catch (error) {
      const waited = Date.now() - started;
      if (waited >= waitMs) {
        throw new DependencyError(
          `cannot reach Redis at ${url.host} (REDIS_URL) within ${Math.round(waitMs / 1000)} s: ${(error as Error).message}`,
        );
      }
      if (Date.now() - lastProgress >= PROGRESS_MS) {
        lastProgress = Date.now();
        logger.warn(`waiting for Redis at ${url.host}: ${(error as Error).message}`);
      }
      await new Promise((resolve) => setTimeout(resolve, RETRY_MS));
    }
  }
}
