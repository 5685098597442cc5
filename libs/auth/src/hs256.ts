import { createHmac, timingSafeEqual } from 'node:crypto';

const HEADER = Buffer.from(JSON.stringify({ alg: 'HS256', typ: 'JWT' })).toString('base64url');

function hmac(key: string, data: string): Buffer {
  return createHmac('sha256', key).update(data).digest();
}

/** Signs claims as an HS256 JWT (header `{alg:"HS256",typ:"JWT"}`), as PocketBase does. */
export function signHs256(claims: Record<string, unknown>, key: string): string {
  const body = `${HEADER}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}`;
  return `${body}.${hmac(key, body).toString('base64url')}`;
}

function decodePart(part: string | undefined): Record<string, unknown> | null {
  if (!part) {
    return null;
  }
  try {
    const value = JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as unknown;
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/** The claims of a JWT, unverified (only to find the key that verifies them). */
export function decodeClaims(token: string): Record<string, unknown> | null {
  return decodePart(token.split('.')[1]);
}

/**
 * Verifies an HS256 JWT: the header must say HS256 (never `none`), the signature must match in
 * constant time, `exp` must be in the future and `nbf`/`iat`, when present, not in the future.
 */
export function verifyHs256(
  token: string,
  key: string,
  nowSeconds = Date.now() / 1000,
): Record<string, unknown> | null {
  const parts = token.split('.');
  if (parts.length !== 3 || decodePart(parts[0])?.alg !== 'HS256') {
    return null;
  }
  const expected = hmac(key, `${parts[0]}.${parts[1]}`);
  const given = Buffer.from(parts[2], 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    return null;
  }
  const claims = decodePart(parts[1]);
  if (!claims || typeof claims.exp !== 'number' || claims.exp <= nowSeconds) {
    return null;
  }
  for (const key of ['nbf', 'iat'] as const) {
    if (claims[key] !== undefined && (typeof claims[key] !== 'number' || claims[key] > nowSeconds + 1)) {
      return null;
    }
  }
  return claims;
}
