import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { describe, it } from 'node:test';
import { decodeClaims, signHs256, verifyHs256 } from './hs256';

const KEY = 'token-key-and-collection-secret';
const future = () => Math.floor(Date.now() / 1000) + 60;
const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

void describe('HS256 tokens', () => {
  void it('round-trips claims and states HS256/JWT in the header', () => {
    const token = signHs256({ id: 'a', type: 'auth', exp: future() }, KEY);
    assert.deepEqual(JSON.parse(Buffer.from(token.split('.')[0], 'base64url').toString()), {
      alg: 'HS256',
      typ: 'JWT',
    });
    assert.equal(verifyHs256(token, KEY)?.id, 'a');
    assert.equal(decodeClaims(token)?.type, 'auth');
  });

  void it('refuses a wrong key, a tampered payload and a truncated token', () => {
    const token = signHs256({ id: 'a', exp: future() }, KEY);
    assert.equal(verifyHs256(token, `${KEY}x`), null);
    const [h, , s] = token.split('.');
    assert.equal(verifyHs256(`${h}.${b64({ id: 'b', exp: future() })}.${s}`, KEY), null);
    assert.equal(verifyHs256(`${h}.${token.split('.')[1]}`, KEY), null);
    assert.equal(verifyHs256('not-a-token', KEY), null);
  });

  void it('refuses alg none and other algorithms even with a matching signature', () => {
    const payload = b64({ id: 'a', exp: future() });
    for (const alg of ['none', 'HS512', 'RS256']) {
      const header = b64({ alg, typ: 'JWT' });
      const sig = createHmac('sha256', KEY).update(`${header}.${payload}`).digest('base64url');
      assert.equal(verifyHs256(`${header}.${payload}.${sig}`, KEY), null, alg);
      assert.equal(verifyHs256(`${header}.${payload}.`, KEY), null, alg);
    }
  });

  void it('refuses expired tokens, missing exp and future iat/nbf', () => {
    const now = Math.floor(Date.now() / 1000);
    assert.equal(verifyHs256(signHs256({ id: 'a', exp: now - 1 }, KEY), KEY), null);
    assert.equal(verifyHs256(signHs256({ id: 'a' }, KEY), KEY), null);
    assert.equal(verifyHs256(signHs256({ id: 'a', exp: future(), iat: now + 100 }, KEY), KEY), null);
    assert.equal(verifyHs256(signHs256({ id: 'a', exp: future(), nbf: now + 100 }, KEY), KEY), null);
    assert.ok(verifyHs256(signHs256({ id: 'a', exp: future(), iat: now - 5 }, KEY), KEY));
  });
});
