/** Characters of one string an error answer may carry (a message, a value in `data`). */
export const MAX_ECHO_CHARS = 300;
/** Items of one array, and keys of one object, an error answer's `data` may carry. */
const MAX_ECHO_ITEMS = 50;
const MAX_ECHO_DEPTH = 8;

/**
 * `text` cut to `max` characters with "…" appended: what an error message may quote of user input (a
 * filename, a filter, a value). Error answers never carry request payloads whole.
 */
export function echo(text: string, max = MAX_ECHO_CHARS): string {
  return text.length <= max ? text : `${text.slice(0, max)}…`;
}

/**
 * A copy of an error answer's `data` with every string cut by `echo`, arrays and objects cut to
 * MAX_ECHO_ITEMS entries and nesting to MAX_ECHO_DEPTH: the last line of defence, whatever a service
 * formatted into its error.
 */
export function capEcho(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') {
    return echo(value);
  }
  if (value === null || typeof value !== 'object') {
    return value;
  }
  if (depth >= MAX_ECHO_DEPTH) {
    return Array.isArray(value) ? [] : {};
  }
  if (Array.isArray(value)) {
    return value.slice(0, MAX_ECHO_ITEMS).map((v) => capEcho(v, depth + 1));
  }
  const out: Record<string, unknown> = {};
  let n = 0;
  for (const [key, v] of Object.entries(value)) {
    if (n++ >= MAX_ECHO_ITEMS) {
      break;
    }
    out[echo(key)] = capEcho(v, depth + 1);
  }
  return out;
}
