/** What PostgreSQL text and jsonb can't hold (U+0000) as U+FFFD. */
export function withoutNul(text: string): string {
  return text.includes('\0') ? text.replaceAll('\0', '\uFFFD') : text;
}

/**
 * JSON text (as `JSON.stringify` writes it: U+0000 as `\u0000`) with each `\u0000` escape as `\ufffd`; an escaped
 * backslash followed by `u0000` (the text `\u0000` in a value) is left alone.
 */
export function jsonWithoutNul(json: string): string {
  if (!json.includes('\\u0000')) {
    return json;
  }
  return json.replace(/(\\+)u0000/g, (match, slashes: string) =>
    slashes.length % 2 === 1 ? `${slashes.slice(0, -1)}\\ufffd` : match,
  );
}
