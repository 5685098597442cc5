import { createSecretKey, type KeyObject } from 'node:crypto';
import { JwtService } from '@nestjs/jwt';

// `@nestjs/jwt` (jsonwebtoken), as the design card says, always with a `KeyObject`: given a string or a Buffer,
// jsonwebtoken first tries to parse it as a private key (~700 µs a call). Keys are per record (collection secret +
// the record's `tokenKey`), so their KeyObjects are kept in a small map.
const jwt = new JwtService({});
const KEYS_MAX = 1000;
const keys = new Map<string, KeyObject>();

function keyObject(key: string): KeyObject {
  let object = keys.get(key);
  if (!object) {
    object = createSecretKey(Buffer.from(key, 'utf8'));
    if (keys.size >= KEYS_MAX) {
      keys.delete(keys.keys().next().value as string);
    }
    keys.set(key, object);
  }
  return object;
}

/** Signs claims as an HS256 JWT (header `{alg:"HS256",typ:"JWT"}`, no `iat` added), as PocketBase does. */
export function signHs256(claims: Record<string, unknown>, key: string): string {
  // The typings name only string | Buffer secrets; jsonwebtoken takes a KeyObject (and wants it). An `iat` given
  // is kept as it is; none is added (`noTimestamp` would also delete a given one).
  const noTimestamp = claims.iat === undefined;
  return jwt.sign(claims, { secret: keyObject(key) as never, algorithm: 'HS256', noTimestamp });
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
 * Verifies an HS256 JWT: only HS256 (never `none`), the signature checked by jsonwebtoken; then, on our clock,
 * `exp` required and in the future, `nbf`/`iat` when present not in the future.
 */
export function verifyHs256(
  token: string,
  key: string,
  nowSeconds = Date.now() / 1000,
): Record<string, unknown> | null {
  let claims: unknown;
  try {
    claims = jwt.verify<Record<string, unknown>>(token, {
      secret: keyObject(key) as never,
      algorithms: ['HS256'],
      ignoreExpiration: true,
      ignoreNotBefore: true,
    });
  } catch {
    return null;
  }
  if (!claims || typeof claims !== 'object' || Array.isArray(claims)) {
    return null;
  }
  const found = claims as Record<string, unknown>;
  if (typeof found.exp !== 'number' || found.exp <= nowSeconds) {
    return null;
  }
  for (const name of ['nbf', 'iat'] as const) {
    if (found[name] !== undefined && (typeof found[name] !== 'number' || found[name] > nowSeconds + 1)) {
      return null;
    }
  }
  return found;
}
