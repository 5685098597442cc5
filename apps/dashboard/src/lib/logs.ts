import { MACROS, type Suggestion } from './rule-completions';

/** One hourly bucket of `GET /api/logs/stats` (`date` like `2026-12-03 14:00:00.000Z`). */
export interface LogStat {
  total: number;
  date: string;
}

/** One bar of the chart: `hours` hours from `start`. */
export interface HourBar {
  /** The bucket's start, as the API names it (UTC). */
  key: string;
  start: Date;
  hours: number;
  total: number;
}

/** The chart's windows: the last 24 hours, the last 7 days, or every log still kept (`hours` null). */
export const CHART_RANGES = [
  { key: '24h', label: 'Last 24 hours', hours: 24 },
  { key: '7d', label: 'Last 7 days', hours: 168 },
  { key: 'all', label: 'All kept logs', hours: null },
] as const;
export type ChartRange = (typeof CHART_RANGES)[number]['key'];

const pad = (n: number) => String(n).padStart(2, '0');
const HOUR = 3_600_000;

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

/** How many hours of a range the chart shows: fixed ones as they are, "all" from the oldest bucket (≥ 24). */
export function rangeHours(range: ChartRange, stats: readonly LogStat[], now: Date): number {
  const fixed = CHART_RANGES.find((r) => r.key === range)?.hours;
  if (fixed) {
    return fixed;
  }
  const oldest = Math.min(...stats.map((s) => Date.parse(s.date.slice(0, 19).replace(' ', 'T') + 'Z')));
  const end = windowStart(now, 1).getTime();
  return Number.isFinite(oldest) ? Math.max(24, Math.floor((end - oldest) / HOUR) + 1) : 24;
}

/** Hours per bar so that a window has at most `maxBars` bars (1, 2, 3, 6, 12 hours, then whole days). */
export function bucketHours(hours: number, maxBars = 168): number {
  const step = [1, 2, 3, 6, 12].find((h) => hours / h <= maxBars);
  return step ?? 24 * Math.ceil(hours / 24 / maxBars);
}

/**
 * Bars of `bucket` hours covering `hours` hours up to the hour of `now` (the last bar ends with it); the API's
 * hourly buckets are summed into them, buckets outside the window are left out.
 */
export function hourlyBars(stats: readonly LogStat[], now: Date, hours = 24, bucket = 1): HourBar[] {
  const count = Math.ceil(hours / bucket);
  const first = windowStart(now, count * bucket).getTime();
  const bars = Array.from({ length: count }, (_, i) => {
    const start = new Date(first + i * bucket * HOUR);
    return { key: hourKey(start), start, hours: bucket, total: 0 };
  });
  for (const s of stats) {
    const at = Date.parse(s.date.slice(0, 19).replace(' ', 'T') + 'Z');
    const index = Math.floor((at - first) / (bucket * HOUR));
    if (index >= 0 && index < count) {
      bars[index].total += s.total;
    }
  }
  return bars;
}

/**
 * Which bars get a label under the chart (about eight at most): every few bars in a short window; in a window
 * over two days, the first bar of each local day (every few days when there are many).
 */
export function tickIndexes(starts: readonly Date[], maxTicks = 8): number[] {
  const hours = starts.length > 1 ? (starts[starts.length - 1].getTime() - starts[0].getTime()) / HOUR + 1 : 1;
  if (hours <= 48) {
    const every = Math.max(1, Math.ceil(starts.length / maxTicks));
    return starts.map((_, i) => i).filter((i) => i % every === 0);
  }
  const dayStarts = starts
    .map((d, i) => i)
    .filter((i) => i > 0 && starts[i].toDateString() !== starts[i - 1].toDateString());
  const every = Math.max(1, Math.ceil(dayStarts.length / maxTicks));
  return dayStarts.filter((_, n) => n % every === 0);
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

/** The fields a logs filter can name (a request log's `data` keys among them). */
export const LOG_FIELDS = [
  'id',
  'created',
  'level',
  'message',
  ...['type', 'method', 'url', 'status', 'execTime', 'auth', 'authId', 'userIP', 'remoteIP', 'referer'].map(
    (k) => `data.${k}`,
  ),
  ...['userAgent', 'error', 'details'].map((k) => `data.${k}`),
];

/** Completions of the logs filter: its fields, macros and modifiers (no `@request`/`@collection` there). */
export function logSuggestions(word: string): Suggestion[] {
  const colon = word.lastIndexOf(':');
  if (colon > 0) {
    return [':isset', ':length', ':lower'].map((m) => ({ label: word.slice(0, colon) + m, kind: 'modifier' }));
  }
  if (word.startsWith('@')) {
    return MACROS.map((label) => ({ label, kind: 'macro' }));
  }
  return LOG_FIELDS.map((label) => ({ label, kind: 'field' }));
}
