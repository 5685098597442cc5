/**
 * The byte-level pieces both head parsers share: header lines are found, checked and classified on the bytes
 * as read (no latin1 string of the head, no split, no regular expression, no lower-cased copy of a name), and
 * the lines passed on are kept as byte ranges of the source, copied as they came.
 */

/** 1 for the bytes of an RFC 9110 token (a header name). */
const TOKEN = new Uint8Array(256);
for (const c of "!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ") {
  TOKEN[c.charCodeAt(0)] = 1;
}
/** 1 for the bytes a header value must not hold: control characters but HTAB, and DEL (obs-text is allowed). */
const CONTROL = new Uint8Array(256);
for (let c = 0; c < 32; c++) {
  CONTROL[c] = c === 9 ? 0 : 1;
}
CONTROL[127] = 1;

export const CR = 13;
export const LF = 10;
export const MAX_HEADERS = 200;
/** Fields per header line in `LINES`: line start, name end, value start, value end (trimmed), line end (past CRLF). */
export const FIELDS = 5;

/**
 * The header lines of the last `scanHeaderLines` (parsing is synchronous, so one table serves every call):
 * for line i, `LINES[i * FIELDS + k]` with k as in `FIELDS`.
 */
export const LINES = new Int32Array(MAX_HEADERS * FIELDS);

/**
 * Splits the header lines in `buf[start, end)` (`end`: where the head's blank line starts) into `LINES` and
 * returns how many there are, or -1 when one isn't `name: value` with a token name and a value without control
 * characters (no obs-fold, no bare CR or LF), or there are more than `MAX_HEADERS`.
 */
export function scanHeaderLines(buf: Buffer, start: number, end: number): number {
  let pos = start;
  let count = 0;
  while (pos < end) {
    if (count === MAX_HEADERS) {
      return -1;
    }
    const lineStart = pos;
    while (pos < end && TOKEN[buf[pos]] === 1) {
      pos++;
    }
    if (pos === lineStart || pos === end || buf[pos] !== 0x3a) {
      return -1;
    }
    const nameEnd = pos++;
    while (pos < end && (buf[pos] === 0x20 || buf[pos] === 0x09)) {
      pos++;
    }
    const valueStart = pos;
    let valueEnd = pos;
    while (pos < end) {
      const c = buf[pos];
      if (c === CR) {
        break;
      }
      if (CONTROL[c] === 1) {
        return -1;
      }
      pos++;
      if (c !== 0x20 && c !== 0x09) {
        valueEnd = pos;
      }
    }
    if (pos < end && buf[pos + 1] !== LF) {
      return -1; // a bare CR
    }
    pos += 2; // past the CRLF (the last line's is the first half of the blank line)
    const at = count * FIELDS;
    LINES[at] = lineStart;
    LINES[at + 1] = nameEnd;
    LINES[at + 2] = valueStart;
    LINES[at + 3] = valueEnd;
    LINES[at + 4] = pos;
    count++;
  }
  return count;
}

/** True when `buf[start, start + lower.length)` is `lower` (all lower-case letters and `-`) in any case. */
export function nameIs(buf: Buffer, start: number, lower: string): boolean {
  for (let i = 0; i < lower.length; i++) {
    // Safe on token bytes: only 'A'/'a' become 'a' when OR-ed with 0x20 (and '-' stays '-').
    if ((buf[start + i] | 0x20) !== lower.charCodeAt(i)) {
      return false;
    }
  }
  return true;
}

/** The decimal number in `buf[start, end)` (1..15 digits), or -1. */
export function decimal(buf: Buffer, start: number, end: number): number {
  if (end <= start || end - start > 15) {
    return -1;
  }
  let value = 0;
  for (let i = start; i < end; i++) {
    const digit = buf[i] - 0x30;
    if (digit < 0 || digit > 9) {
      return -1;
    }
    value = value * 10 + digit;
  }
  return value;
}

/** Adds `[start, end)` to the flat list of ranges, merged with the last one when they touch; returns its length. */
export function keep(ranges: number[], start: number, end: number): number {
  const last = ranges.length - 1;
  if (last > 0 && ranges[last] === start) {
    ranges[last] = end;
  } else {
    ranges.push(start, end);
  }
  return end - start;
}

/** Copies the ranges of `source` into `target` at `offset`; returns the offset past them. */
export function copyRanges(source: Buffer, ranges: readonly number[], target: Buffer, offset: number): number {
  let at = offset;
  for (let i = 0; i < ranges.length; i += 2) {
    at += source.copy(target, at, ranges[i], ranges[i + 1]);
  }
  return at;
}

/** The tokens of a `Connection` header, lower-cased. */
export function connectionTokens(value: string): string[] {
  return value
    .split(',')
    .map((token) => token.trim().toLowerCase())
    .filter((token) => token !== '');
}

/**
 * The `Connection` value at `LINES` line `i` in the common forms without a string (`keep-alive`, `close`),
 * else as its tokens.
 */
export function connectionValue(buf: Buffer, i: number): readonly string[] {
  const at = i * FIELDS;
  const start = LINES[at + 2];
  const length = LINES[at + 3] - start;
  if (length === 10 && nameIs(buf, start, 'keep-alive')) {
    return KEEP_ALIVE_TOKENS;
  }
  if (length === 5 && nameIs(buf, start, 'close')) {
    return CLOSE_TOKENS;
  }
  return connectionTokens(buf.toString('latin1', start, LINES[at + 3]));
}

const KEEP_ALIVE_TOKENS: readonly string[] = Object.freeze(['keep-alive']);
const CLOSE_TOKENS: readonly string[] = Object.freeze(['close']);

/** The latin1 text of `LINES` line `i`'s value (trimmed). */
export function valueOf(buf: Buffer, i: number): string {
  return buf.toString('latin1', LINES[i * FIELDS + 2], LINES[i * FIELDS + 3]);
}

/** The lower-cased name of `LINES` line `i`. */
export function nameOf(buf: Buffer, i: number): string {
  return buf.toString('latin1', LINES[i * FIELDS], LINES[i * FIELDS + 1]).toLowerCase();
}
