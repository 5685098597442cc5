import { describe, expect, it } from 'vitest';
import { randomSecret } from './secrets';

describe('token secrets', () => {
  it('are 50 letters and digits by default, different each time', () => {
    const a = randomSecret();
    expect(a).toMatch(/^[A-Za-z0-9]{50}$/);
    expect(randomSecret()).not.toBe(a);
  });

  it('skip the bytes that would favour some characters', () => {
    const bytes = [250, 255, 0, 61, 62, 247];
    const secret = randomSecret(4, (n) => new Uint8Array(bytes.splice(0, n)));
    expect(secret).toBe('a9a9');
  });
});
