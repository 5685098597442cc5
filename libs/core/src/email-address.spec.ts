import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { isEmailAddress } from './email-address';

void describe('isEmailAddress', () => {
  void it('accepts ordinary and international addresses', () => {
    for (const ok of ['a@example.com', 'first.last+tag@sub.example.co', 'jürgen@exämple.de', 'a😀b@example.com']) {
      assert.equal(isEmailAddress(ok), true, ok);
    }
    assert.equal(isEmailAddress('a@localhost', { dotted: false }), true);
  });

  void it('refuses control characters, lone surrogates and replacement characters', () => {
    for (const bad of [
      'a\u0000b@example.com',
      'a@example.com\u0000.evil.com',
      'a\u0007@example.com',
      'a\u0085@x.com',
    ]) {
      assert.equal(isEmailAddress(bad), false, JSON.stringify(bad));
    }
    assert.equal(isEmailAddress('a\ud800@example.com'), false);
    assert.equal(isEmailAddress('a\ufffd@example.com'), false);
    assert.equal(isEmailAddress('a\u0000@localhost', { dotted: false }), false);
  });

  void it('keeps the shape rules', () => {
    for (const bad of ['', 'a', 'a@b', 'a b@example.com', 'a@@example.com', `${'a'.repeat(250)}@example.com`]) {
      assert.equal(isEmailAddress(bad), false, bad);
    }
  });
});
