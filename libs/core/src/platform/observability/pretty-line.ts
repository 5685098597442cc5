const LABELS: Record<string, string> = {
  trace: 'TRACE',
  debug: 'DEBUG',
  info: 'INFO ',
  warn: 'WARN ',
  error: 'ERROR',
  fatal: 'FATAL',
};
const SHOWN = new Set(['level', 'time', 'service', 'msg', 'context']);

/**
 * One JSON log line as a terminal line: `12:00:01.234 INFO  records GET /api/… 200 3.1ms reqId=…`, the other
 * fields as `key=value`.
 */
export function prettyLine(json: string): string {
  let entry: Record<string, unknown>;
  try {
    entry = JSON.parse(json) as Record<string, unknown>;
  } catch {
    return json;
  }
  const time = typeof entry.time === 'string' ? entry.time.slice(11, 23) : '';
  const level = LABELS[String(entry.level)] ?? String(entry.level);
  const str = (value: unknown) => (typeof value === 'string' ? value : JSON.stringify(value));
  const context = entry.context ? `[${str(entry.context)}] ` : '';
  const rest = Object.entries(entry)
    .filter(([key]) => !SHOWN.has(key))
    .map(([key, value]) => `${key}=${str(value)}`)
    .join(' ');
  return `${time} ${level} ${str(entry.service)} ${context}${str(entry.msg ?? '')}${rest ? ` ${rest}` : ''}\n`;
}
