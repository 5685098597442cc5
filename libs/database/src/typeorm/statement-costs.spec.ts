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

  void it('a slow statement stays on the workers; one slow run of a cheap one does not move it', () => {
    const costs = new StatementCosts();
    costs.record('scan', INLINE_US * 8);
    costs.record('scan', INLINE_US * 8);
    assert.equal(costs.cheap('scan'), false);
    costs.record('seek', 50);
    costs.record('seek', 50);
    costs.record('seek', INLINE_US * 2);
    assert.equal(costs.cheap('seek'), true);
  });

  void it('a statement that turns slow leaves the main thread within a few runs, and comes back when cheap', () => {
    const costs = new StatementCosts();
    costs.record('a', 50);
    costs.record('a', 50);
    let runs = 0;
    while (costs.cheap('a')) {
      costs.record('a', INLINE_US * 4);
      runs++;
    }
    assert.ok(runs <= 4, `took ${runs} slow runs`);
    while (!costs.cheap('a')) {
      costs.record('a', 50);
    }
  });
});
