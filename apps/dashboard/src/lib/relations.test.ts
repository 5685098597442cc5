import { describe, expect, it } from 'vitest';
import { expandFor, recordLabel, relatedRecords } from './relations';

describe('relation cells', () => {
  const fields = [
    { name: 'title', type: 'text' },
    { name: 'code', type: 'text', presentable: true },
    { name: 'size', type: 'number', presentable: true },
  ];

  it('names a related record by its presentable fields, else a name-like value, else its id', () => {
    expect(recordLabel({ id: 'r1', title: 'T', code: 'A-1', size: 3 }, fields)).toBe('A-1, 3');
    expect(recordLabel({ id: 'r1', title: '<p>Big <b>one</b></p>' }, [{ name: 'title', type: 'editor' }])).toBe(
      'Big one',
    );
    expect(recordLabel({ id: 'r1', email: 'a@example.com' }, [])).toBe('a@example.com');
    expect(recordLabel({ id: 'r1', code: '' }, fields)).toBe('r1');
  });

  it('expands the visible relation columns only', () => {
    const all = [
      { name: 'owner', type: 'relation' },
      { name: 'title', type: 'text' },
      { name: 'tags', type: 'relation' },
    ];
    expect(expandFor(all, [])).toBe('owner,tags');
    expect(expandFor(all, ['owner'])).toBe('tags');
    expect(expandFor(all, ['owner', 'tags'])).toBe('');
  });

  it('pairs the ids of a cell with their expanded records', () => {
    const record = {
      id: 'x',
      tags: ['a', 'b'],
      owner: 'u',
      expand: { tags: [{ id: 'b', name: 'B' }], owner: { id: 'u' } },
    };
    expect(relatedRecords(record, 'tags')).toEqual([
      { id: 'a', record: null },
      { id: 'b', record: { id: 'b', name: 'B' } },
    ]);
    expect(relatedRecords(record, 'owner')).toEqual([{ id: 'u', record: { id: 'u' } }]);
    expect(relatedRecords({ id: 'y', owner: '' }, 'owner')).toEqual([]);
  });
});
