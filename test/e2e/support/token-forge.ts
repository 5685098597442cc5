// Tampered JWTs for the security suites: edited payloads, swapped signatures, other algorithms.
import { createHmac } from 'node:crypto';

const b64 = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');

export function parts(token: string): {
  header: Record<string, unknown>;
  claims: Record<string, unknown>;
  sig: string;
} {
  const [h = '', p = '', sig = ''] = token.split('.');
  const decode = (s: string) => JSON.parse(Buffer.from(s, 'base64url').toString('utf8')) as Record<string, unknown>;
  return { header: decode(h), claims: decode(p), sig };
}

/** The token with its claims merged with `edit`, the original header and signature kept. */
export function editClaims(token: string, edit: Record<string, unknown>): string {
  const [h, , sig] = token.split('.');
  return `${h}.${b64({ ...parts(token).claims, ...edit })}.${sig}`;
}

/** Header and claims of `token` with the signature of `other`. */
export function swapSignature(token: string, other: string): string {
  const [h, p] = token.split('.');
  return `${h}.${p}.${other.split('.')[2]}`;
}

/** The claims of `token` under `{alg, typ}`, signed with `sign` (empty for `none`). */
export function withAlg(token: string, alg: string, sign: (data: string) => string = () => ''): string {
  const [, p] = token.split('.');
  const header = b64({ alg, typ: 'JWT' });
  return `${header}.${p}.${sign(`${header}.${p}`)}`;
}

export const hmac = (algorithm: 'sha256' | 'sha512', key: string) => (data: string) =>
  createHmac(algorithm, key).update(data).digest('base64url');
