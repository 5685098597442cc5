// POST /api/settings/apple/generate-client-secret: Sign in with Apple's client secret, an ES256 JWT signed
// with the developer's private key (PocketBase's apis/settings.go scenarios, plus the signature checked).
import assert from 'node:assert/strict';
import { createPublicKey, generateKeyPairSync, verify } from 'node:crypto';

import { any, runScenarios } from '@lib/testing';

const URL = '/api/settings/apple/generate-client-secret';
const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const PEM = privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
const RSA_PEM = generateKeyPairSync('rsa', { modulusLength: 2048 })
  .privateKey.export({ format: 'pem', type: 'pkcs8' })
  .toString();

const valid = {
  clientId: 'com.example.web',
  teamId: '1234567890',
  keyId: 'ABCDEFGHIJ',
  privateKey: PEM,
  duration: 3600,
};
const part = (jwt: string, i: number) =>
  JSON.parse(Buffer.from(jwt.split('.')[i], 'base64url').toString()) as Record<string, unknown>;

runScenarios(`POST ${URL}`, [
  { name: 'guest → 401', method: 'POST', url: URL, body: valid, expectStatus: 401, expectBody: { data: {} } },
  {
    name: 'a regular user → 403',
    method: 'POST',
    url: URL,
    before: async (t) => t.auth(await t.makeUser()),
    body: valid,
    expectStatus: 403,
    expectBody: { data: {} },
  },
  {
    name: 'malformed JSON → 400',
    method: 'POST',
    url: URL,
    auth: 'superuser',
    body: '{',
    expectStatus: 400,
    expectBody: { data: {} },
  },
  {
    name: 'empty object → every field required',
    method: 'POST',
    url: URL,
    auth: 'superuser',
    body: {},
    expectStatus: 400,
    expectBody: {
      message: 'Invalid client secret data.',
      data: {
        clientId: { code: 'validation_required' },
        teamId: { code: 'validation_required' },
        keyId: { code: 'validation_required' },
        privateKey: { code: 'validation_required' },
        duration: { code: 'validation_required' },
      },
    },
  },
  {
    name: 'invalid values → field errors',
    method: 'POST',
    url: URL,
    auth: 'superuser',
    body: { clientId: '', teamId: '123456789', keyId: '123456789', privateKey: 'invalid', duration: -1 },
    expectStatus: 400,
    expectBody: {
      data: {
        clientId: { code: 'validation_required' },
        teamId: { code: 'validation_length_invalid' },
        keyId: { code: 'validation_length_invalid' },
        privateKey: { code: 'validation_match_invalid' },
        duration: { code: 'validation_min_greater_equal_than_required' },
      },
    },
  },
  {
    name: 'a duration over ~6 months → field error',
    method: 'POST',
    url: URL,
    auth: 'superuser',
    body: { ...valid, duration: 15_777_001 },
    expectStatus: 400,
    expectBody: { data: { duration: { code: 'validation_max_less_equal_than_required' } } },
  },
  {
    name: 'a non-number duration → 400 loading error',
    method: 'POST',
    url: URL,
    auth: 'superuser',
    body: { ...valid, duration: '3600' },
    expectStatus: 400,
    expectBody: { message: 'An error occurred while loading the submitted data.', data: {} },
  },
  {
    name: 'an RSA key is not an ES256 key → 400',
    method: 'POST',
    url: URL,
    auth: 'superuser',
    body: { ...valid, privateKey: RSA_PEM },
    expectStatus: 400,
    expectBody: { message: any(String), data: {} },
  },
  {
    name: 'valid → an ES256 JWT Apple accepts: kid, iss = team, sub = client, aud = Apple, exp = iat + duration',
    method: 'POST',
    url: URL,
    auth: 'superuser',
    body: valid,
    expectStatus: 200,
    expectBody: { secret: any(String) },
    after: async (_t, res) => {
      const secret = res.json<{ secret: string }>().secret;
      assert.deepEqual(part(secret, 0), { alg: 'ES256', kid: 'ABCDEFGHIJ', typ: 'JWT' });
      const claims = part(secret, 1);
      assert.equal(claims.iss, '1234567890');
      assert.equal(claims.sub, 'com.example.web');
      assert.deepEqual(claims.aud, ['https://appleid.apple.com']);
      assert.equal(Number(claims.exp) - Number(claims.iat), 3600);
      assert.ok(Math.abs(Number(claims.iat) - Date.now() / 1000) < 600);
      const [head, payload, signature] = secret.split('.');
      const key = createPublicKey(publicKey.export({ format: 'pem', type: 'spki' }));
      const ok = verify(
        'sha256',
        Buffer.from(`${head}.${payload}`),
        { key, dsaEncoding: 'ieee-p1363' },
        Buffer.from(signature, 'base64url'),
      );
      assert.ok(ok, 'the signature verifies with the public key');
    },
  },
]);
