/** One access-log line: JSON on stdout, for the container's log collector. */
export interface AccessLogEntry {
  method: string;
  url: string;
  status: number;
  service: string;
  upstream: string;
  ip: string;
}

/** Lines are gathered and written once per event-loop turn (one write under load, not one per request). */
const FLUSH_AT = 64 * 1024;
let pending = '';
let scheduled = false;

function flush(): void {
  scheduled = false;
  if (pending !== '') {
    const out = pending;
    pending = '';
    process.stdout.write(out);
  }
}

/** Writes `entry` with the milliseconds since `started` (a `performance.now()` reading). */
export function writeAccessLog(entry: AccessLogEntry, started: number): void {
  const ms = Math.round((performance.now() - started) * 10) / 10;
  pending += `${JSON.stringify({ time: new Date().toISOString(), ...entry, ms })}\n`;
  if (pending.length >= FLUSH_AT) {
    flush();
  } else if (!scheduled) {
    scheduled = true;
    setImmediate(flush);
  }
}

/** Writes what is gathered now (shutdown). */
export function flushAccessLog(): void {
  flush();
}
