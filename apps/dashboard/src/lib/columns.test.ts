import { describe, expect, it } from 'vitest';
import { columnsKey, readHiddenColumns, toggleColumn, writeHiddenColumns } from './columns';

function memoryStore() {
  const data = new Map<string, string>();
  return {
    data,
    getItem: (k: string) => data.get(k) ?? null,
    setItem: (k: string, v: string) => void data.set(k, v),
    removeItem: (k: string) => void data.delete(k),
  };
}

describe('records table column picker', () => {
  it('stores hidden columns per collection and forgets an empty list', () => {
    const store = memoryStore();
    writeHiddenColumns(store, 'c1', ['created', 'updated']);
    expect(readHiddenColumns(store, 'c1')).toEqual(['created', 'updated']);
    expect(readHiddenColumns(store, 'c2')).toEqual([]);
    writeHiddenColumns(store, 'c1', []);
    expect(store.data.has(columnsKey('c1'))).toBe(false);
  });

  it('reads garbage as nothing hidden', () => {
    const store = memoryStore();
    store.setItem(columnsKey('c1'), '{not json');
    expect(readHiddenColumns(store, 'c1')).toEqual([]);
    store.setItem(columnsKey('c1'), '{"a":1}');
    expect(readHiddenColumns(store, 'c1')).toEqual([]);
  });

  it('toggles, keeping the last visible column', () => {
    const all = ['id', 'title'];
    expect(toggleColumn([], all, 'id')).toEqual(['id']);
    expect(toggleColumn(['id'], all, 'title')).toEqual(['id']);
    expect(toggleColumn(['id'], all, 'id')).toEqual([]);
  });
});
