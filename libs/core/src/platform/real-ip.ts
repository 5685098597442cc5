import { isIP } from 'node:net';
import type { IncomingHttpHeaders } from 'node:http';

/**
 * The client address as PocketBase's `RealIP()` finds it: the first of the settings' `trustedProxy.headers`
 * that holds a valid IP (of a list, the rightmost entry, or the leftmost with `useLeftmostIP`), else the
 * address the request came from. Header names in any case; a value that isn't an IP (a client's made-up
 * entry) is passed over, so it can't become a rate-limit or log key.
 */
export function realIp(headers: IncomingHttpHeaders, remote: string, names: string[], leftmost: boolean): string {
  for (const name of names) {
    const raw = headers[name.toLowerCase()];
    const value = Array.isArray(raw) ? raw.join(',') : raw;
    if (!value) {
      continue;
    }
    const parts = value
      .split(',')
      .map((part) => part.trim())
      .filter((part) => part !== '');
    const candidate = leftmost ? parts[0] : parts[parts.length - 1];
    if (candidate && isIP(candidate) !== 0) {
      return candidate;
    }
  }
  return remote;
}
