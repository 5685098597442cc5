/** PocketBase's date wire format: `2006-01-02 15:04:05.000Z` (UTC). */
export function formatDate(date: Date): string {
  return date.toISOString().replace('T', ' ');
}

export function nowString(): string {
  return formatDate(new Date());
}

/**
 * `nowString()`, or one millisecond after `previous` when the clock hasn't passed it (two saves in one millisecond,
 * or a clock set back): a row stamped this way gets a new `updated` at every save, which caches compare to tell a
 * changed row from one they hold.
 */
export function nowAfter(previous: string | undefined): string {
  const now = nowString();
  if (!previous || now > previous) {
    return now;
  }
  const last = Date.parse(previous.replace(' ', 'T'));
  return Number.isNaN(last) ? now : formatDate(new Date(last + 1));
}

const NUMERIC = /^-?\d+(\.\d+)?$/;

/**
 * Parses what a client may send for a date (the canonical format, RFC 3339 and other common
 * layouts, unix seconds) into the canonical format; an unparseable value gives `''`.
 */
export function normalizeDate(value: unknown): string {
  if (value === null || value === undefined || value === '') {
    return '';
  }
  if (value instanceof Date) {
    return Number.isNaN(value.getTime()) ? '' : formatDate(value);
  }
  if (typeof value === 'number' || (typeof value === 'string' && NUMERIC.test(value.trim()))) {
    const d = new Date(Number(value) * 1000);
    return Number.isNaN(d.getTime()) ? '' : formatDate(d);
  }
  if (typeof value !== 'string') {
    return '';
  }
  let text = value.trim().replace(' ', 'T');
  if (/^\d{4}-\d{2}-\d{2}$/.test(text)) {
    text += 'T00:00:00Z';
  } else if (!/(Z|[+-]\d{2}:?\d{2})$/i.test(text)) {
    text += 'Z';
  }
  const d = new Date(text);
  return Number.isNaN(d.getTime()) ? '' : formatDate(d);
}
