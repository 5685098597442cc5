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

/** What a bounded start-up wait for a dependency says and does. */
export interface DependencyWait {
  /** Who logs the progress lines. */
  logger: Logger;
  /** Names the dependency and where it is expected, e.g. "Redis at host:port (REDIS_URL)". */
  what: string;
  /** The whole wait. */
  waitMs: number;
  /** One try: resolves when the dependency answers. */
  attempt: () => Promise<void>;
  /** The reason a try failed, for the lines (default: the error's message). */
  reason?: (error: unknown) => string;
  /** The final line, given the reason (default: "cannot reach <what> within N s: <reason>"). */
  failure?: (reason: string) => string;
}

/**
 * Tries `attempt` every half second until it succeeds, with a line every few seconds while it waits; after
 * `waitMs` throws a DependencyError naming the last failure (one line at exit, no stack trace).
 */
export async function waitForDependency(wait: DependencyWait): Promise<void> {
  const reasonOf = wait.reason ?? ((error: unknown) => (error as Error).message);
  const started = Date.now();
  let lastProgress = started;
  for (;;) {
    try {
      await wait.attempt();
      return;
    } catch (error) {
      const reason = reasonOf(error);
      if (Date.now() - started >= wait.waitMs) {
        const seconds = Math.round(wait.waitMs / 1000);
        throw new DependencyError(wait.failure?.(reason) ?? `cannot reach ${wait.what} within ${seconds} s: ${reason}`);
      }
      if (Date.now() - lastProgress >= PROGRESS_MS) {
        lastProgress = Date.now();
        wait.logger.warn(`waiting for ${wait.what}: ${reason}`);
      }
      await new Promise((resolve) => setTimeout(resolve, RETRY_MS));
    }
  }
}

/**
 * Waits until Redis at `redisUrl` answers, for at most `waitMs`. Done once at start, before any client is made,
 * so that an unreachable Redis is one clear line instead of every client's retries.
 */
export async function waitForRedis(redisUrl: string, waitMs = REDIS_WAIT_MS): Promise<void> {
  const url = new URL(redisUrl);
  await waitForDependency({
    logger: new Logger('Redis'),
    what: `Redis at ${url.host} (REDIS_URL)`,
    waitMs,
    attempt: () => ping(url, Math.min(5_000, waitMs)),
  });
}
