import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { RequestAuth } from '@lib/core';
import { VerifiedTokenCache } from './verified-token-cache';

const NOW = 1_000_000;
const auth = (): RequestAuth => ({
  collectionId: 'users',
  collectionName: 'users',
  record: { id: 'u1', tokenKey: 'k1' },
  isSuperuser: false,
  token: 't',
});

void describe('VerifiedTokenCache', () => {
  void it('answers a header verified under the current mark until it expires', () => {
    const cache = new VerifiedTokenCache();
    const a = auth();
    assert.equal(cache.get('Bearer t', '1:0', NOW), undefined);
    cache.set('Bearer t', '1:0', a, NOW + 60);
    assert.equal(cache.get('Bearer t', '1:0', NOW), a);
    assert.equal(cache.get('other', '1:0', NOW), undefined);
    assert.equal(cache.get('Bearer t', '1:0', NOW + 60), undefined);
  });

  void it('forgets everything when the mark changes (a write, a rollback, another process)', () => {
    const cache = new VerifiedTokenCache();
    cache.get('Bearer t', '1:0', NOW);
    cache.set('Bearer t', '1:0', auth(), NOW + 60);
    assert.equal(cache.get('Bearer t', '1:1', NOW), undefined);
    assert.equal(cache.get('Bearer t', '1:0', NOW), undefined);
  });

  void it('drops an answer verified under a mark that has moved on meanwhile', () => {
    const cache = new VerifiedTokenCache();
    cache.get('Bearer t', '1:0', NOW);
    cache.get('Bearer u', '2:0', NOW);
    cache.set('Bearer t', '1:0', auth(), NOW + 60);
    assert.equal(cache.get('Bearer t', '2:0', NOW), undefined);
  });

  void it('freezes a shared auth so no request can change it for the next', () => {
    const cache = new VerifiedTokenCache();
    cache.get('Bearer t', '1:0', NOW);
    cache.set('Bearer t', '1:0', auth(), NOW + 60);
    const hit = cache.get('Bearer t', '1:0', NOW)!;
    assert.ok(Object.isFrozen(hit) && Object.isFrozen(hit.record));
  });
});
