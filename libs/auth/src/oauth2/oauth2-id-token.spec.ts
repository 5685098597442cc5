import assert from 'node:assert/strict';
import { constants, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { describe, it } from 'node:test';
import { trustedIdTokenClaims, verifyIdToken, type IdTokenRules } from './oauth2-id-token';

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const now = () => Math.floor(Date.now() / 1000);

interface Signer {
  alg: string;
  jwk: Record<string, unknown>;
  sign(input: Buffer): Buffer;
}

function signer(alg: string): Signer {
  let pair: { publicKey: KeyObject; privateKey: KeyObject };
  let signFn: (input: Buffer) => Buffer;
  if (alg === 'ES256') {
    pair = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    signFn = (input) => sign('sha256', input, { key: pair.privateKey, dsaEncoding: 'ieee-p1363' });
  } else if (alg === 'EdDSA') {
    pair = generateKeyPairSync('ed25519');
    signFn = (input) => sign(null, input, pair.privateKey);
  } else {
    pair = generateKeyPairSync('rsa', { modulusLength: 2048 });
    signFn =
      alg === 'PS256'
        ? (input) =>
            sign('sha256', input, {
              key: pair.privateKey,
              padding: constants.RSA_PKCS1_PSS_PADDING,
              saltLength: constants.RSA_PSS_SALTLEN_DIGEST,
            })
        : (input) => sign('sha256', input, pair.privateKey);
  }
  return { alg, jwk: { ...pair.publicKey.export({ format: 'jwk' }), kid: `k-${alg}`, alg }, sign: signFn };
}

function token(s: Signer, claims: Record<string, unknown>, header: Record<string, unknown> = {}): string {
  const input = `${b64({ alg: s.alg, kid: `k-${s.alg}`, ...header })}.${b64(claims)}`;
  return `${input}.${s.sign(Buffer.from(input)).toString('base64url')}`;
}

const rules = (over: Partial<IdTokenRules> = {}): IdTokenRules => ({
  audience: 'client',
  issuers: [],
  requireExp: false,
  leewaySec: 300,
  jwksURL: 'https://idp.example/jwks',
  ...over,
});
const base = () => ({ sub: 'u1', aud: 'client', iss: 'https://idp.example', iat: now(), exp: now() + 600 });

void describe('verifyIdToken', () => {
  for (const alg of ['RS256', 'PS256', 'ES256', 'EdDSA']) {
    void it(`checks an ${alg} signature against the JWKS key of its kid`, async () => {
      const s = signer(alg);
      const other = signer(alg);
      const jwks = async () =>
        Promise.resolve({ keys: [other.jwk, s.jwk].map((k, i) => (i === 0 ? { ...k, kid: 'x' } : k)) });
      assert.equal((await verifyIdToken(token(s, base()), rules(), jwks)).sub, 'u1');
      // Same kid, another key: a forged token.
      const forged = async () => Promise.resolve({ keys: [{ ...other.jwk, kid: `k-${alg}` }] });
      await assert.rejects(verifyIdToken(token(s, base()), rules(), forged), /signature/);
      // A payload changed after signing.
      const [h, , sig] = token(s, base()).split('.');
      await assert.rejects(
        verifyIdToken(`${h}.${b64({ ...base(), sub: 'admin' })}.${sig}`, rules(), jwks),
        /signature/,
      );
    });
  }

  void it('refuses a token whose alg is not the key’s, a missing kid, and a key set without it', async () => {
    const s = signer('RS256');
    const jwks = async () => Promise.resolve({ keys: [s.jwk] });
    await assert.rejects(verifyIdToken(token(s, base(), { alg: 'RS384' }), rules(), jwks), /alg/);
    await assert.rejects(verifyIdToken(token(s, base(), { kid: undefined }), rules(), jwks), /kid/);
    await assert.rejects(verifyIdToken(token(s, base(), { kid: 'nope' }), rules(), jwks), /missing JWK/);
  });

  void it('checks aud, iss, exp, iat and nbf with the leeway', async () => {
    const s = signer('RS256');
    const jwks = async () => Promise.resolve({ keys: [s.jwk] });
    const check = (claims: Record<string, unknown>, over: Partial<IdTokenRules> = {}) =>
      verifyIdToken(token(s, claims), rules(over), jwks);
    await check({ ...base(), aud: ['other', 'client'] });
    await assert.rejects(check({ ...base(), aud: 'other' }), /aud/);
    await check(base(), { issuers: ['https://idp.example'] });
    await assert.rejects(check(base(), { issuers: ['https://elsewhere.example'] }), /iss/);
    await check({ ...base(), exp: now() - 100 }); // within the 5 min leeway
    await assert.rejects(check({ ...base(), exp: now() - 1000 }), /expired/);
    await assert.rejects(check({ ...base(), iat: now() + 1000 }), /before issued/);
    await assert.rejects(check({ ...base(), nbf: now() + 1000 }), /before issued/);
    const { exp: _exp, ...noExp } = base();
    await check(noExp);
    await assert.rejects(check(noExp, { requireExp: true }), /missing exp/);
  });

  void it('skips the signature without a JWKS URL, but not the claims', async () => {
    const s = signer('RS256');
    const never = async () => Promise.reject(new Error('no fetch expected'));
    assert.equal((await verifyIdToken(token(s, base()), rules({ jwksURL: '' }), never)).sub, 'u1');
    assert.equal(trustedIdTokenClaims(token(s, base()), 300).sub, 'u1');
    assert.throws(() => trustedIdTokenClaims('not-a-jwt', 300), /malformed/);
  });
});
