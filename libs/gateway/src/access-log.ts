import { accessLog } from '@lib/core';

/** One access-log line of the gateway (the structured log's access logger: JSON on stdout by default). */
export interface AccessLogEntry {
  /** The request id (the client's sane X-Request-Id or the gateway's), passed on to the service. */
  reqId: string;
  method: string;
  url: string;
  status: number;
  service: string;
  upstream: string;
  ip: string;
}

/** Writes `entry` with the milliseconds since `started` (a `performance.now()` reading). */
export function writeAccessLog(entry: AccessLogEntry, started: number): void {
  const ms = Math.round((performance.now() - started) * 10) / 10;
  // `service` is the process's (gateway); the one proxied to is `route`.
  const { service: route, ...rest } = entry;
  accessLog().info({ ...rest, route, ms }, 'request');
}
