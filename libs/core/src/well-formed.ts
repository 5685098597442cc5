/** A lone (unpaired) UTF-16 surrogate. */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;
/** A `\uD800`–`\uDFFF` escape in JSON text: only such text can decode to a lone surrogate. */
const SURROGATE_ESCAPE = /\\u[dD][89a-fA-F]/;

const fix = (s: string): string => s.replace(LONE_SURROGATE, '\ufffd');

/**
 * `value` (parsed from `text`) with every lone surrogate in its strings and keys replaced by U+FFFD, as Go's JSON
 * decoder (PocketBase's) does. Left in, a lone surrogate reaches the database as invalid UTF-8 (SQLite stores it as
 * three bytes that read back as three U+FFFD; Postgres refuses it), so a value would change between the answer to
 * its write and every later read. Depth is bounded by the caller (MAX_JSON_DEPTH).
 */
export function wellFormedJson(value: unknown, text: string): unknown {
  return SURROGATE_ESCAPE.test(text) ? walk(value) : value;
}

function walk(value: unknown): unknown {
  if (typeof value === 'string') {
    return fix(value);
  }
  if (Array.isArray(value)) {
    return value.map(walk);
  }
  if (value === null || typeof value !== 'object') {
    return value;
  }
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    // An own data property whatever the key (`__proto__` included), as JSON.parse made it.
    Object.defineProperty(out, fix(key), { value: walk(item), enumerable: true, writable: true, configurable: true });
  }
  return out;
}
