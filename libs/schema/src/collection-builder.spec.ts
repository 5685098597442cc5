import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { buildCollection } from './collection-builder';

void describe('buildCollection: updated', () => {
  void it('stamps an update later than the stored definition, even within its millisecond', () => {
    const made = buildCollection(
      { name: 'notes', type: 'base', fields: [{ name: 'title', type: 'text' }] },
      undefined,
      [],
    );
    // a stored stamp the clock hasn't reached yet stands for "saved in this very millisecond"
    const stored = { ...made, updated: '2999-01-01 00:00:00.000Z' };
    const changed = buildCollection({ fields: [...made.fields, { name: 'note', type: 'text' }] }, stored, []);
    assert.equal(changed.updated, '2999-01-01 00:00:00.001Z');
    assert.equal(changed.created, made.created);
  });
});
