/** One access-log line: JSON on stdout, for the container's log collector. */
export interface AccessLogEntry {
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
  process.stdout.write(`${JSON.stringify({ time: new Date().toISOString(), ...entry, ms })}\n`);
}
