import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { rateLimitErrors } from './rate-limit-settings';

const rule = (label: string, extra: Record<string, unknown> = {}) => ({
  label,
  audience: '',
  duration: 10,
  maxRequests: 5,
  ...extra,
});
const codeOf = (errors: Record<string, unknown> | null, path: string[]): unknown =>
  path.reduce<unknown>((v, k) => (v as Record<string, unknown> | undefined)?.[k], errors);

void describe('rateLimitErrors', () => {
  void it('accepts PocketBase labels nestbase honours', () => {
    const rules = ['/api/', '/api/batch', 'GET /api/realtime', 'users:create', '*:auth', '*:file'].map((l) => rule(l));
    assert.equal(rateLimitErrors({ enabled: true, rules, excludedIPs: ['1.2.3.4'] }), null);
  });

  void it('refuses labels no route would match, naming the rule', () => {
    for (const label of ['*:createRecord', 'users:authWith', 'test_a', 'FETCH /api/']) {
      const errors = rateLimitErrors({ enabled: false, rules: [rule('/api/'), rule(label)] });
      assert.equal(codeOf(errors, ['rules', '1', 'label', 'code']), 'validation_unsupported_rate_limit_label', label);
    }
  });

  void it('refuses malformed rules, duplicates and enabled without rules', () => {
    const errors = rateLimitErrors({
      enabled: true,
      rules: [rule('/api/', { duration: 0 }), rule('*:auth', { maxRequests: 1.5 }), rule('x y'), 7],
    });
    assert.equal(codeOf(errors, ['rules', '0', 'duration', 'code']), 'validation_min_number_constraint');
    assert.equal(codeOf(errors, ['rules', '1', 'maxRequests', 'code']), 'validation_min_number_constraint');
    assert.equal(codeOf(errors, ['rules', '2', 'label', 'code']), 'validation_match_invalid');
    assert.equal(codeOf(errors, ['rules', '3', 'label', 'code']), 'validation_invalid_value');
    const dup = rateLimitErrors({ enabled: false, rules: [rule('/api/'), rule('/api/')] });
    assert.equal(codeOf(dup, ['rules', '1', 'label', 'code']), 'validation_conflicting_rate_limit_rule');
    assert.equal(codeOf(rateLimitErrors({ enabled: true, rules: [] }), ['rules', 'code']), 'validation_required');
  });

  void it('refuses a window over a year and a count past 2^53 - 1', () => {
    const errors = rateLimitErrors({
      enabled: false,
      rules: [rule('/api/', { duration: 31_536_001 }), rule('*:auth', { maxRequests: 2 ** 60 })],
    });
    assert.equal(codeOf(errors, ['rules', '0', 'duration', 'code']), 'validation_max_number_constraint');
    assert.equal(codeOf(errors, ['rules', '1', 'maxRequests', 'code']), 'validation_max_number_constraint');
    assert.equal(rateLimitErrors({ enabled: false, rules: [rule('/api/', { duration: 31_536_000 })] }), null);
  });

  void it('lets only the failed-login counters be switched off with maxRequests 0', () => {
    assert.equal(rateLimitErrors({ enabled: false, rules: [rule('*:authFailure', { maxRequests: 0 })] }), null);
    const errors = rateLimitErrors({ enabled: false, rules: [rule('*:auth', { maxRequests: 0 })] });
    assert.equal(codeOf(errors, ['rules', '0', 'maxRequests', 'code']), 'validation_min_number_constraint');
  });
});
