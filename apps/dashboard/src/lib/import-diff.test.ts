import { describe, expect, it } from 'vitest';
import { importDiff, parseImport } from './import-diff';

const posts = {
  id: 'p1',
  name: 'posts',
  type: 'base',
  listRule: null,
  fields: [
    { id: 'f1', name: 'title', type: 'text' },
    { id: 'f2', name: 'body', type: 'editor' },
  ],
};
const users = { id: 'u1', name: 'users', type: 'auth', system: false, fields: [] };

describe('import diff preview', () => {
  it('lists added, changed and (with deleteMissing) deleted collections', () => {
    const incoming = [
      {
        ...posts,
        listRule: '',
        fields: [
          { id: 'f1', name: 'headline', type: 'text' },
          { name: 'tags', type: 'json' },
        ],
      },
      { name: 'todos', type: 'base', fields: [] },
    ];
    const diff = importDiff([posts, users], incoming, true);
    expect(diff.added).toEqual(['todos']);
    expect(diff.changed).toEqual([
      {
        name: 'posts',
        lines: ['~ listRule', '~ field title renamed to headline', '+ field tags (json)', '- field body'],
      },
    ]);
    expect(diff.deleted).toEqual(['users']);
    expect(importDiff([posts, users], incoming, false).deleted).toEqual([]);
  });

  it('reports nothing for an identical import', () => {
    expect(importDiff([posts], [structuredClone(posts)], false)).toEqual({ added: [], changed: [], deleted: [] });
  });

  it('rejects JSON that is not a list of collections', () => {
    expect(() => parseImport('{"name":"x"}')).toThrow(/array of collections/);
    expect(() => parseImport('[{"nope":1}]')).toThrow(/array of collections/);
    expect(parseImport('[{"name":"a"}]')).toEqual([{ name: 'a' }]);
  });
});
