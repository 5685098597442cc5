import { randomString } from '@lib/core';

const SIMPLE = /^\[([^\]]+)\]\{(\d+)\}$/;

function expandClass(spec: string): string {
  let out = '';
  for (let i = 0; i < spec.length; i++) {
    if (spec[i + 1] === '-' && i + 2 < spec.length) {
      for (let c = spec.charCodeAt(i); c <= spec.charCodeAt(i + 2); c++) {
        out += String.fromCharCode(c);
      }
      i += 2;
    } else {
      out += spec[i];
    }
  }
  return out;
}

/**
 * A value for a text field's `autogeneratePattern`. Supports sequences of literal text and
 * `[class]{n}` groups (what PocketBase's defaults and most users' patterns look like).
 */
export function generateFromPattern(pattern: string): string {
  const simple = SIMPLE.exec(pattern);
  if (simple) {
    return randomString(Number(simple[2]), expandClass(simple[1]));
  }
  return pattern.replace(/\[([^\]]+)\]\{(\d+)\}/g, (_m, cls: string, n: string) =>
    randomString(Number(n), expandClass(cls)),
  );
}
