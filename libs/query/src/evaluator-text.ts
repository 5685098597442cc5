/** SQLite's text semantics for the in-memory evaluator: ASCII-only LOWER/LIKE, BINARY collation. */

export const asciiLower = (s: string): string => s.replace(/[A-Z]+/g, (m) => m.toLowerCase());

/** Text order by code point, which is UTF-8 byte order (SQLite's BINARY collation). */
export function codePointOrder(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.codePointAt(i) ?? 0;
    const y = b.codePointAt(i) ?? 0;
    if (x !== y) {
      return x - y;
    }
    if (x > 0xffff) {
      i++;
    }
  }
  return a.length - b.length;
}

/** SQLite's `value LIKE pattern ESCAPE '\'`: ASCII case-insensitive; a trailing escape matches nothing. */
export function sqliteLike(value: string, pattern: string): boolean {
  const v = [...asciiLower(value)];
  const tokens: { kind: 'char' | 'one' | 'many'; ch: string }[] = [];
  const p = [...asciiLower(pattern)];
  for (let j = 0; j < p.length; j++) {
    if (p[j] === '\\') {
      if (j + 1 >= p.length) {
        return false;
      }
      tokens.push({ kind: 'char', ch: p[++j] });
    } else {
      tokens.push({ kind: p[j] === '%' ? 'many' : p[j] === '_' ? 'one' : 'char', ch: p[j] });
    }
  }
  // Iterative wildcard matching: remember the last `%` and retry from one character further on a mismatch.
  let i = 0;
  let t = 0;
  let star = -1;
  let resume = 0;
  while (i < v.length) {
    const tok = tokens[t];
    if (tok && (tok.kind === 'one' || (tok.kind === 'char' && tok.ch === v[i]))) {
      i++;
      t++;
    } else if (tok?.kind === 'many') {
      star = t++;
      resume = i;
    } else if (star >= 0) {
      t = star + 1;
      i = ++resume;
    } else {
      return false;
    }
  }
  while (tokens[t]?.kind === 'many') {
    t++;
  }
  return t === tokens.length;
}
