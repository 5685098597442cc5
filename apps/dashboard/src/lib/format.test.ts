import { describe, expect, it } from 'vitest';
import { ariaSort, cellText, nextSort } from './format';

describe('record cells and sorting', () => {
  it('formats values per type', () => {
    expect(cellText(true, 'bool')).toBe('True');
    expect(cellText('', 'text')).toBe('N/A');
    expect(cellText('<p>Hello <b>you</b></p>', 'editor')).toBe('Hello you');
    expect(cellText({ lat: 1.5, lon: 2 }, 'geoPoint')).toBe('1.5, 2');
    expect(cellText(['a', 'b'], 'select')).toBe('a, b');
  });

  it('toggles sort direction per column', () => {
    expect(nextSort('-created', 'title')).toBe('title');
    expect(nextSort('title', 'title')).toBe('-title');
    expect(nextSort('-title', 'title')).toBe('title');
    expect(ariaSort('-title', 'title')).toBe('descending');
    expect(ariaSort('title', 'title')).toBe('ascending');
    expect(ariaSort('title', 'created')).toBe('none');
  });
});
