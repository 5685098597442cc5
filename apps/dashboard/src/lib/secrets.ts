const ALPHABET = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

/** A random token secret (PocketBase's collections take 30 to 255 characters; a new one voids issued tokens). */
export function randomSecret(length = 50, random: (n: number) => Uint8Array = randomBytes): string {
  // 248 = 4 × 62: bytes at or above it are skipped so that every character is as likely.
  let out = '';
  while (out.length < length) {
    for (const byte of random(length)) {
      if (byte < 248 && out.length < length) {
        out += ALPHABET[byte % ALPHABET.length];
      }
    }
  }
  return out;
}

function randomBytes(n: number): Uint8Array {
  return globalThis.crypto.getRandomValues(new Uint8Array(n));
}
