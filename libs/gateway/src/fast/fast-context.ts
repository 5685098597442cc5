import type { HttpTimeouts, UpstreamService } from '@lib/core';
import type { AccessLogEntry } from '../access-log';
import type { EdgeRateLimit } from '../edge-rate-limit';
import type { UpstreamPool } from '../upstream-pool';
import type { UpstreamLinks } from './upstream-links';

/** What every fast-path connection shares, built once when the gateway starts. */
export interface FastContext {
  pool(service: UpstreamService): UpstreamPool;
  readonly links: UpstreamLinks;
  readonly limit: EdgeRateLimit;
  /** Writes one access-log line, or undefined when the access log is off. */
  readonly log: ((entry: AccessLogEntry, started: number) => void) | undefined;
  readonly bodyLimit: number;
  readonly trustProxyHops: number;
  readonly timeouts: HttpTimeouts;
  readonly connectTimeoutMs: number;
  readonly responseTimeoutMs: number;
  /** `Connection` and `Keep-Alive` lines of a response after which the connection stays open. */
  readonly keepAliveLines: string;
  /** True once the gateway is shutting down: connections close after their current response. */
  draining: boolean;
}

const REASONS: Record<number, string> = {
  404: 'Not Found',
  408: 'Request Timeout',
  429: 'Too Many Requests',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};

/** A whole response in PocketBase's error envelope, with the gateway's CORS lines. */
export function envelopeResponse(
  status: number,
  message: string,
  cors: string,
  keepAlive: string | null,
  headOnly = false,
): string {
  const body = JSON.stringify({ status, message, data: {} });
  // the answer to a HEAD has the head only: a body after it is read as the start of a next response
  return (
    `HTTP/1.1 ${status} ${REASONS[status] ?? 'Error'}\r\n${cors}` +
    `Content-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\n` +
    `${keepAlive ?? 'Connection: close\r\n'}\r\n${headOnly ? '' : body}`
  );
}

/** The CORS lines the gateway puts on every API response (as @fastify/cors with `origin: true` does). */
export function corsLines(origin: string | undefined): string {
  return origin === undefined ? 'Vary: Origin\r\n' : `Vary: Origin\r\nAccess-Control-Allow-Origin: ${origin}\r\n`;
}
