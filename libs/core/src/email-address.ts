/** `local@domain.tld`: no spaces, one `@` between non-empty parts, a dot in the domain. */
const DOTTED = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;
/** `local@domain`: as above without the dot (what an OTP request accepts). */
const PLAIN = /^[^@\s]+@[^@\s]+$/;
/**
 * Control characters (NUL included), lone surrogates and U+FFFD (what an invalid UTF-8 byte decodes to): never
 * part of an address. A NUL in particular is where C mail tooling would cut `victim@x.com\0.evil.com` short.
 */
const UNSAFE = /[\p{Cc}\p{Cs}\ufffd]/u;

/** The one email syntax check of every lib: at most 255 characters, see DOTTED/PLAIN and UNSAFE. */
export function isEmailAddress(value: string, options: { dotted?: boolean } = {}): boolean {
  const shape = options.dotted === false ? PLAIN : DOTTED;
  return value.length <= 255 && shape.test(value) && !UNSAFE.test(value);
}
