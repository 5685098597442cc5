import { describe, expect, it } from 'vitest';
import { ariaSort, cellText, fileSize, nextSort } from './format';

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

describe('file sizes', () => {
  it('uses the largest unit below 1024', () => {
    expect([0, 512, 1536, 10 * 1024 * 1024, 3.25 * 1024 ** 3].map(fileSize)).toEqual([
      '0 B',
      '512 B',
      '1.5 KB',
      '10 MB',
      '3.3 GB',
    ]);
  });
});
