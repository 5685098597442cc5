import * as crypto from 'node:crypto';
import { randomString } from '@lib/core';
import { randomStringByRegex } from './random-by-regex';

const ALNUM = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

type Bytes = string | number[] | Uint8Array;

const buf = (data: Bytes) => (typeof data === 'string' ? Buffer.from(data, 'utf8') : Buffer.from(data));
const hmac = (alg: string) => (text: Bytes, secret: string) =>
  crypto.createHmac(alg, secret).update(buf(text)).digest('hex');
const hash = (alg: string) => (text: Bytes) => crypto.createHash(alg).update(buf(text)).digest('hex');
const b64url = (data: Buffer | string) => Buffer.from(data).toString('base64url');

function aesKey(key: string): Buffer {
  const bytes = Buffer.from(key, 'utf8');
  if (bytes.length !== 32) {
    throw new Error('the key must be 32 characters (AES-256)');
  }
  return bytes;
}

function claimsOf(token: string): Record<string, unknown> {
  const parts = token.split('.');
  if (parts.length !== 3) {
    throw new Error('invalid JWT');
  }
  return JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8')) as Record<string, unknown>;
}

/** PocketBase's `$security`: random strings, HMACs and hashes (hex), AES-256-GCM, HS256 JWTs. */
export const $security = {
  randomStringByRegex,
  randomString: (length: number) => randomString(length, ALNUM),
  randomStringWithAlphabet: (length: number, alphabet: string) => randomString(length, alphabet),
  pseudorandomString: (length: number) => randomString(length, ALNUM),
  pseudorandomStringWithAlphabet: (length: number, alphabet: string) => randomString(length, alphabet),
  hs256: hmac('sha256'),
  hs512: hmac('sha512'),
  md5: hash('md5'),
  sha256: hash('sha256'),
  sha512: hash('sha512'),
  equal: (a: string, b: string) => {
    const x = Buffer.from(String(a));
    const y = Buffer.from(String(b));
    return x.length === y.length && crypto.timingSafeEqual(x, y);
  },
  /** base64(nonce ‖ ciphertext ‖ tag), as PocketBase writes it. */
  encrypt: (data: Bytes, key: string) => {
    const nonce = crypto.randomBytes(12);
    const cipher = crypto.createCipheriv('aes-256-gcm', aesKey(key), nonce);
    const body = Buffer.concat([cipher.update(buf(data)), cipher.final(), cipher.getAuthTag()]);
    return Buffer.concat([nonce, body]).toString('base64');
  },
  decrypt: (cipherText: string, key: string) => {
    const raw = Buffer.from(cipherText, 'base64');
    if (raw.length < 28) {
      throw new Error('the cipher text is too short');
    }
    const decipher = crypto.createDecipheriv('aes-256-gcm', aesKey(key), raw.subarray(0, 12));
    decipher.setAuthTag(raw.subarray(raw.length - 16));
    return Buffer.concat([decipher.update(raw.subarray(12, raw.length - 16)), decipher.final()]).toString('utf8');
  },
  createJWT: (payload: Record<string, unknown>, signingKey: string, secDuration: number) => {
    const claims = { ...payload, exp: Math.floor(Date.now() / 1000) + Math.floor(secDuration) };
    const head = `${b64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }))}.${b64url(JSON.stringify(claims))}`;
    return `${head}.${b64url(crypto.createHmac('sha256', signingKey).update(head).digest())}`;
  },
  parseUnverifiedJWT: claimsOf,
  parseJWT: (token: string, verificationKey: string) => {
    const parts = token.split('.');
    const expected =
      parts.length === 3
        ? crypto.createHmac('sha256', verificationKey).update(`${parts[0]}.${parts[1]}`).digest()
        : null;
    const given = parts.length === 3 ? Buffer.from(parts[2], 'base64url') : null;
    if (!expected || !given || expected.length !== given.length || !crypto.timingSafeEqual(expected, given)) {
      throw new Error('invalid JWT signature');
    }
    const header = JSON.parse(Buffer.from(parts[0], 'base64url').toString('utf8')) as { alg?: unknown };
    if (header.alg !== 'HS256') {
      throw new Error('unsupported JWT algorithm');
    }
    const claims = claimsOf(token);
    if (typeof claims.exp === 'number' && claims.exp < Date.now() / 1000) {
      throw new Error('the JWT has expired');
    }
    return claims;
  },
};
