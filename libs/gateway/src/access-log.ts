/** One access-log line: JSON on stdout, for the container's log collector. */
export interface AccessLogEntry {
  method: string;
  url: string;
  status: number;
  service: string;
  upstream: string;
  ip: string;
  ms: number;
}

export function writeAccessLog(entry: AccessLogEntry): void {
  process.stdout.write(`${JSON.stringify({ time: new Date().toISOString(), ...entry })}\n`);
}
