// Hostile strings for the route fuzzer: path segments (percent-encoded, including bytes that are not UTF-8),
// text values and query values.
import fc from 'fast-check';

/** Percent-encoding of any JS string, lone surrogates included (as the bytes a WTF-8 encoder would write). */
export function encodeAny(value: string): string {
  let out = '';
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    const next = value.charCodeAt(i + 1);
    if (code >= 0xd800 && code <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
      out += encodeURIComponent(value.slice(i, i + 2));
      i++;
    } else if (code >= 0xd800 && code <= 0xdfff) {
      out += [0xe0 | (code >> 12), 0x80 | ((code >> 6) & 0x3f), 0x80 | (code & 0x3f)]
        .map((b) => `%${b.toString(16).toUpperCase()}`)
        .join('');
    } else {
      out += encodeURIComponent(value[i]);
    }
  }
  return out;
}

/**
 * A query value left as raw as a request line allows: printable ASCII stays (`%`, quotes, parentheses, `&`, `=`
 * included, so malformed encodings and split params happen), everything else is percent-encoded, `#` too.
 */
export function rawQuery(value: string): string {
  return value.replace(/[^\x21-\x22\x24-\x7e]+/g, (run) => encodeAny(run));
}

/** Path segments as sent (already encoded, or raw on purpose). */
const SEGMENTS = [
  '..',
  '.',
  '',
  '%2e%2e',
  '..%2F..%2F..%2Fdata.db',
  '..%5C..%5Cdata.db',
  '%00',
  'a%00b',
  '%C0%AE%C0%AE',
  '%C0%AF',
  '%ED%A0%80',
  '%FF%FE',
  '%E2%80%AE',
  'e%CC%81%CC%81',
  '%zz',
  '%',
  '%E0%A4%A',
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  '%0D%0ASet-Cookie:%20x=1',
  "'%20OR%201=1%20--",
  '*',
  '~',
  '%20',
  'x'.repeat(300),
  'pb_backup_20240101000000.zip',
  '__pbLogsCleanup__',
];

/** A hostile path segment: a known one, any string encoded, or any bytes percent-encoded. */
export const hostileSegment: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...SEGMENTS) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 12 }).map(encodeAny) },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme-ascii', maxLength: 12 }).map(encodeAny) },
  {
    weight: 1,
    arbitrary: fc
      .uint8Array({ minLength: 1, maxLength: 8 })
      .map((bytes) => Array.from(bytes, (b) => `%${b.toString(16).padStart(2, '0')}`).join('')),
  },
);

const TEXTS = [
  '\u0000',
  'a\u0000b',
  '\ud800',
  '\udfff\ud800',
  '\u202egnp.exe',
  'e\u0301\u0301\u0301',
  '\u200b\ufeff',
  '\r\nX-Injected: 1',
  "' OR '1'='1",
  '"; DROP TABLE _collections; --',
  '../../../etc/passwd',
  '__proto__',
  '{"__proto__":{"x":1}}',
  '%00',
  '\\',
  '${7*7}{{7*7}}',
  '<script>alert(1)</script>',
  'x'.repeat(3000),
];

/** A hostile text value (bodies, query values, headers after filtering). */
export const hostileText: fc.Arbitrary<string> = fc.oneof(
  { weight: 2, arbitrary: fc.constantFrom(...TEXTS) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 30 }) },
  { weight: 1, arbitrary: fc.string({ maxLength: 30 }) },
);

/** Digits and numbers that are out of range, not numbers, or edge values. */
export const numberText: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom('0', '-1', '1', '1.5', '1e309', '-1e309', '99999999999999999999', 'NaN', 'Infinity', '0x10', ''),
  fc.integer().map(String),
);
