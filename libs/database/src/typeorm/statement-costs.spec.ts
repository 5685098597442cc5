import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { INLINE_US, StatementCosts } from './statement-costs';

void describe('StatementCosts', () => {
  void it('an unknown statement, or one seen once, goes to the workers', () => {
    const costs = new StatementCosts();
    assert.equal(costs.cheap('a'), false);
    costs.record('a', 10);
    assert.equal(costs.cheap('a'), false);
    costs.record('a', 10);
    assert.equal(costs.cheap('a'), true);
  });

  void it('one slow run in the window sends it back to the workers until the window starts over', () => {
    const costs = new StatementCosts();
    costs.record('a', 10);
    costs.record('a', INLINE_US * 4);
    assert.equal(costs.cheap('a'), false);
    for (let i = 2; i < 32; i++) {
      costs.record('a', 10);
    }
    assert.equal(costs.cheap('a'), false);
    costs.record('a', 10);
    costs.record('a', 10);
    assert.equal(costs.cheap('a'), true);
  });
});
