/** One hourly bucket of `GET /api/logs/stats` (`date` like `2026-12-03 14:00:00.000Z`). */
export interface LogStat {
  total: number;
  date: string;
}

/** One bar of the hourly chart. */
export interface HourBar {
  /** The bucket's start, as the API names it (UTC). */
  key: string;
  start: Date;
  total: number;
}

const pad = (n: number) => String(n).padStart(2, '0');

/** The API's hour bucket of a moment: `YYYY-MM-DD HH:00:00` in UTC. */
export function hourKey(at: Date): string {
  return `${at.getUTCFullYear()}-${pad(at.getUTCMonth() + 1)}-${pad(at.getUTCDate())} ${pad(at.getUTCHours())}:00:00`;
}

/** The start of the window of `hours` hours that ends with the hour of `now`. */
export function windowStart(now: Date, hours: number): Date {
  const start = new Date(now);
  start.setUTCMinutes(0, 0, 0);
  start.setUTCHours(start.getUTCHours() - (hours - 1));
  return start;
}

/** `hours` bars ending with the hour of `now`; hours without logs are 0, buckets outside the window are left out. */
export function hourlyBars(stats: readonly LogStat[], now: Date, hours = 24): HourBar[] {
  const totals = new Map(stats.map((s) => [s.date.slice(0, 19), s.total]));
  const first = windowStart(now, hours);
  return Array.from({ length: hours }, (_, i) => {
    const start = new Date(first.getTime() + i * 3_600_000);
    const key = hourKey(start);
    return { key, start, total: totals.get(key) ?? 0 };
  });
}

/** A round upper bound for the chart's axis (1, 2, 5 × 10ⁿ), at least 1. */
export function axisMax(value: number): number {
  if (value <= 1) {
    return 1;
  }
  const magnitude = 10 ** Math.floor(Math.log10(value));
  const step = [1, 2, 5, 10].find((m) => m * magnitude >= value) ?? 10;
  return step * magnitude;
}

/** PocketBase's (slog's) level names (the SDK types the level as a string; the API sends a number). */
export function levelName(raw: number | string): string {
  const level = Number(raw);
  if (level >= 8) {
    return 'ERROR';
  }
  if (level >= 4) {
    return 'WARN';
  }
  return level >= 0 ? 'INFO' : 'DEBUG';
}

/** The filter of the logs list and chart: the user's expression, superusers' requests left out unless asked for. */
export function logsFilter(userFilter: string, withSuperusers: boolean, since?: Date): string {
  const parts: string[] = [];
  if (userFilter.trim()) {
    parts.push(`(${userFilter.trim()})`);
  }
  if (!withSuperusers) {
    parts.push('data.auth != "_superusers"');
  }
  if (since) {
    parts.push(`created >= "${hourKey(since)}.000Z"`);
  }
  return parts.join(' && ');
}

/** The `data` keys shown as labels beside a log's message in the table, as PocketBase's list does. */
export function logLabels(data: Record<string, unknown>): string[] {
  const labels: string[] = [];
  if (data.type === 'request') {
    labels.push(`status: ${String(data.status)}`);
    if (typeof data.execTime === 'number') {
      labels.push(`execTime: ${data.execTime}ms`);
    }
    if (data.auth) {
      labels.push(`auth: ${String(data.auth)}`);
    }
  }
  if (typeof data.error === 'string' && data.error) {
    labels.push(`error: ${data.error.slice(0, 60)}`);
  }
  return labels;
}
