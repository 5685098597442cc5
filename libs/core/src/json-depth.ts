/**
 * How deep JSON may nest (arrays and objects), in request bodies and in json field values. Code that walks a
 * value recursively (JSON.stringify, validation, expand, hooks) would overflow the stack on a value thousands of
 * levels deep; PocketBase's own limit is Go's (10,000), ours is lower and generous for real data.
 */
export const MAX_JSON_DEPTH = 256;

/** Whether the JSON text `text` nests deeper than `max` (strings skipped; one pass, no recursion). */
export function jsonTextTooDeep(text: string, max = MAX_JSON_DEPTH): boolean {
  if (text.length <= max * 2) {
    return false;
  }
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) {
        i++;
      } else if (c === 0x22) {
        inString = false;
      }
    } else if (c === 0x22) {
      inString = true;
    } else if (c === 0x5b || c === 0x7b) {
      if (++depth > max) {
        return true;
      }
    } else if (c === 0x5d || c === 0x7d) {
      depth--;
    }
  }
  return false;
}

/** Whether the value `value` nests arrays/objects deeper than `max` (an explicit stack, no recursion). */
export function valueTooDeep(value: unknown, max = MAX_JSON_DEPTH): boolean {
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length > 0) {
    const [current, depth] = stack.pop()!;
    if (typeof current !== 'object' || current === null) {
      continue;
    }
    if (depth + 1 > max) {
      return true;
    }
    for (const child of Array.isArray(current) ? current : Object.values(current)) {
      if (typeof child === 'object' && child !== null) {
        stack.push([child, depth + 1]);
      }
    }
  }
  return false;
}

/** A JSON object (not an array, not null). */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
