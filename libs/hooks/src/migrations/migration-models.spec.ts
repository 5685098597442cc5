import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { catchUp, Collection, Field } from './migration-models';

void describe('catchUp', () => {
  const imported = { name: 'tags', type: 'base', listRule: null, fields: [{ name: 'label', type: 'text' }] };
  const stored = {
    id: 'pbc_1',
    name: 'tags',
    type: 'base',
    listRule: null,
    system: false,
    fields: [
      { id: 'text3208210256', name: 'id', type: 'text', system: true },
      { id: 'text1', name: 'label', type: 'text', max: 0 },
    ],
  };

  void it('takes the stored ids and system fields when nothing changed after the lookup', () => {
    const c = new Collection(imported);
    catchUp(c, imported, stored);
    assert.equal(c.id, 'pbc_1');
    assert.deepEqual(c.fields.fieldNames(), ['id', 'label']);
    assert.equal(c.fields.getByName('label')?.id, 'text1');
  });

  void it('keeps what the migration changed after the lookup: options, new, changed and removed fields', () => {
    const c = new Collection(imported);
    c.listRule = '';
    c.fields.add(new Field({ name: 'note', type: 'text' }));
    c.fields.add(new Field({ name: 'label', type: 'text', required: true }));
    const other = new Collection(imported);
    other.fields.removeByName('label');
    catchUp(c, imported, stored);
    catchUp(other, imported, stored);
    assert.equal(c.listRule, '');
    assert.deepEqual(c.fields.fieldNames(), ['id', 'label', 'note']);
    assert.deepEqual([c.fields.getByName('label')?.id, c.fields.getByName('label')?.required], ['text1', true]);
    assert.deepEqual(other.fields.fieldNames(), ['id']);
  });
});
