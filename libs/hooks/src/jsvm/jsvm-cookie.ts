/** Go's `http.SameSite` values, as PocketBase's `new Cookie({ sameSite: 2 })` takes them. */
const SAME_SITE: Record<number, string> = { 2: 'Lax', 3: 'Strict', 4: 'None' };

/**
 * PocketBase's `Cookie` (Go's `http.Cookie`): `name`, `value`, `path`, `domain`, `expires` (a `Date`, `DateTime` or
 * date string), `maxAge` (seconds; negative: delete now), `secure`, `httpOnly`, `sameSite` (2 Lax, 3 Strict, 4 None),
 * `partitioned`. `e.setCookie(cookie)` sends it; `e.request.cookie(name)` reads one.
 */
export class Cookie {
  name = '';
  value = '';
  path = '';
  domain = '';
  expires: unknown = null;
  maxAge = 0;
  secure = false;
  httpOnly = false;
  sameSite = 0;
  partitioned = false;

  constructor(fields: Partial<Cookie> = {}) {
    Object.assign(this, fields);
  }

  /** The `Set-Cookie` header value, as Go writes it. */
  string(): string {
    if (!/^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/.test(this.name)) {
      return '';
    }
    // as Go: bytes a cookie can't hold are dropped (no header injection), a value with a space or comma is quoted
    const clean = String(this.value).replace(/[^\x20-\x7e]|[";\\]/g, '');
    const parts = [`${this.name}=${/[ ,]/.test(clean) ? `"${clean}"` : clean}`];
    const pathValue = String(this.path).replace(/[^\x20-\x7e]|;/g, '');
    if (pathValue) {
      parts.push(`Path=${pathValue}`);
    }
    const domain = String(this.domain).replace(/^\./, '');
    if (/^[A-Za-z0-9.-]+$/.test(domain)) {
      parts.push(`Domain=${domain}`);
    }
    const expires = expiry(this.expires);
    if (expires) {
      parts.push(`Expires=${expires.toUTCString()}`);
    }
    if (this.maxAge > 0) {
      parts.push(`Max-Age=${Math.trunc(this.maxAge)}`);
    } else if (this.maxAge < 0) {
      parts.push('Max-Age=0');
    }
    if (this.httpOnly) {
      parts.push('HttpOnly');
    }
    if (this.secure) {
      parts.push('Secure');
    }
    if (SAME_SITE[this.sameSite]) {
      parts.push(`SameSite=${SAME_SITE[this.sameSite]}`);
    }
    if (this.partitioned) {
      parts.push('Partitioned');
    }
    return parts.join('; ');
  }
}

function expiry(value: unknown): Date | null {
  const time = (value as { time?: () => Date } | null)?.time;
  const date = typeof time === 'function' ? time.call(value) : value;
  if (date === null || date === undefined || date === '') {
    return null;
  }
  const parsed =
    date instanceof Date ? date : typeof date === 'string' || typeof date === 'number' ? new Date(date) : null;
  if (!parsed) {
    return null;
  }
  return Number.isNaN(parsed.getTime()) || parsed.getUTCFullYear() < 1601 ? null : parsed;
}

/** `e.request.cookie(name)`: the request's cookie of that name; throws Go's `http: named cookie not present`. */
export function requestCookie(header: string | undefined, name: string): Cookie {
  for (const pair of (header ?? '').split(';')) {
    const at = pair.indexOf('=');
    if (at > 0 && pair.slice(0, at).trim() === name) {
      const raw = pair.slice(at + 1).trim();
      return new Cookie({
        name,
        value: raw.length > 1 && raw.startsWith('"') && raw.endsWith('"') ? raw.slice(1, -1) : raw,
      });
    }
  }
  throw new Error('http: named cookie not present');
}
