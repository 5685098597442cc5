import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RATE_LIMIT_ACTIONS } from '@lib/core';
import { clientIp, findRule, readRateLimits, type RateLimitRule } from './rate-limit-rules';
import { allRouteActions, routeAction } from './route-actions';

const rule = (label: string, audience = ''): RateLimitRule => ({ label, audience, duration: 1, maxRequests: 1 });

void describe('findRule', () => {
  // The labels of a collection route, as RequestRateLimiter builds them: collection, wildcards, then paths.
  const labels = [
    'users:authWithPassword',
    'users:auth',
    '*:authWithPassword',
    '*:auth',
    'POST /api/collections/users/auth-with-password',
    '/api/collections/users/auth-with-password',
  ];

  void it('picks the most specific label, whatever the rule order', () => {
    const rules = [rule('*:auth'), rule('/api/'), rule('users:auth')];
    assert.equal(findRule(rules, labels, ['', '@guest'])?.label, 'users:auth');
  });

  void it('matches path prefixes ending with a slash', () => {
    assert.equal(findRule([rule('/api/')], labels, [''])?.label, '/api/');
    assert.equal(findRule([rule('POST /api/')], labels, [''])?.label, 'POST /api/');
    assert.equal(findRule([rule('/api')], labels, ['']), undefined);
  });

  void it('filters by audience', () => {
    assert.equal(findRule([rule('*:auth', '@auth')], labels, ['', '@guest']), undefined);
    assert.equal(findRule([rule('*:auth', '@auth')], labels, ['', '@auth'])?.label, '*:auth');
  });
});

void describe('readRateLimits', () => {
  void it('drops malformed rules and IPs', () => {
    const read = readRateLimits({
      rateLimits: {
        enabled: true,
        rules: [rule('*:auth'), { label: '' }, { label: 'x', duration: 'soon' }, 3],
        excludedIPs: ['1.2.3.4', 5],
      },
    });
    assert.deepEqual(read, { enabled: true, rules: [rule('*:auth')], excludedIPs: ['1.2.3.4'] });
    assert.deepEqual(readRateLimits({}), { enabled: false, rules: [], excludedIPs: [] });
  });
});

void describe('clientIp', () => {
  const headers = { 'x-forwarded-for': '1.1.1.1, 2.2.2.2', 'x-real-ip': '3.3.3.3' };

  void it('uses the socket address unless a trusted proxy header is configured', () => {
    assert.equal(clientIp('9.9.9.9', headers, { headers: [] }), '9.9.9.9');
    assert.equal(clientIp('9.9.9.9', headers, undefined), '9.9.9.9');
  });

  void it('takes the rightmost entry by default, the leftmost when asked', () => {
    assert.equal(clientIp('9.9.9.9', headers, { headers: ['X-Forwarded-For'] }), '2.2.2.2');
    assert.equal(clientIp('9.9.9.9', headers, { headers: ['X-Forwarded-For'], useLeftmostIP: true }), '1.1.1.1');
  });

  void it('tries the headers in order and skips missing ones', () => {
    assert.equal(clientIp('9.9.9.9', headers, { headers: ['CF-Connecting-IP', 'X-Real-IP'] }), '3.3.3.3');
  });

  void it('passes over a value that is not an IP', () => {
    const made = { 'x-real-ip': 'anything-goes', 'x-forwarded-for': '1.1.1.1' };
    assert.equal(clientIp('9.9.9.9', made, { headers: ['X-Real-IP', 'X-Forwarded-For'] }), '1.1.1.1');
    assert.equal(clientIp('9.9.9.9', made, { headers: ['X-Real-IP'] }), '9.9.9.9');
  });
});

void describe('route actions', () => {
  void it('tags every collection route with PocketBase actions the settings accept', () => {
    for (const action of allRouteActions()) {
      for (const tag of action.tags) {
        assert.ok(RATE_LIMIT_ACTIONS.has(tag), `settings refuse the action "${tag}"`);
      }
    }
  });

  void it('finds routes by method and Fastify pattern, HEAD as GET, and the tutorial login as users', () => {
    assert.deepEqual(routeAction('HEAD', '/api/collections/:collection/records')?.tags, ['list']);
    assert.deepEqual(routeAction('POST', '/api/users/auth-via-email'), {
      collectionName: 'users',
      tags: ['authWithPassword', 'auth'],
      own: true,
      sameAs: 'POST /api/collections/:collection/auth-with-password',
    });
    assert.equal(routeAction('GET', '/api/health'), undefined);
    assert.equal(routeAction('GET', undefined), undefined);
  });
});
