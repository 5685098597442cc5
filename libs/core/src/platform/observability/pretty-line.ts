const LABELS: Record<string, string> = {
  trace: 'TRACE',
  debug: 'DEBUG',
  info: 'INFO ',
  warn: 'WARN ',
  error: 'ERROR',
  fatal: 'FATAL',
};
const SHOWN = new Set(['level', 'time', 'service', 'msg', 'context', 'tree']);

/**
 * One JSON log line as a terminal line: `12:00:01.234 INFO  records GET /api/… 200 3.1ms reqId=…`, the other
 * fields as `key=value`; a `tree` (a start-up banner's lines) follows on lines of its own, `├─ …` / `└─ …`, in place of
 * the entry's other fields.
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
  // a banner (with its `tree`) is for people: its other fields (`address`…) are for the JSON form only
  const rest = Object.entries(entry)
    .filter(([key]) => !SHOWN.has(key) && !Array.isArray(entry.tree))
    .map(([key, value]) => `${key}=${str(value)}`)
    .join(' ');
  const tree = Array.isArray(entry.tree)
    ? entry.tree.map((line, i, all) => `${i === all.length - 1 ? '└─' : '├─'} ${str(line)}\n`).join('')
    : '';
  return `${time} ${level} ${str(entry.service)} ${context}${str(entry.msg ?? '')}${rest ? ` ${rest}` : ''}\n${tree}`;
}
