import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fileHeaders, planResponse } from './file-response';

const info = { size: 100, modified: new Date('2024-01-01T00:00:00Z'), etag: '"abc"', contentType: 'image/png' };

void describe('planResponse', () => {
  const cases: [string, Record<string, string>, unknown][] = [
    ['no range', {}, { status: 200 }],
    ['first bytes', { range: 'bytes=0-9' }, { status: 206, range: { start: 0, end: 9 } }],
    ['open end', { range: 'bytes=90-' }, { status: 206, range: { start: 90, end: 99 } }],
    ['suffix', { range: 'bytes=-10' }, { status: 206, range: { start: 90, end: 99 } }],
    ['end clamped', { range: 'bytes=95-500' }, { status: 206, range: { start: 95, end: 99 } }],
    ['past the end', { range: 'bytes=100-' }, { status: 416 }],
    [
      'multiple ranges',
      { range: 'bytes=0-1, 5-6' },
      {
        status: 206,
        ranges: [
          { start: 0, end: 1 },
          { start: 5, end: 6 },
        ],
      },
    ],
    ['one range left of several', { range: 'bytes=200-300,0-1' }, { status: 206, range: { start: 0, end: 1 } }],
    ['ranges adding up past the size → whole file', { range: 'bytes=0-79,10-89' }, { status: 200 }],
    ['every range past the end', { range: 'bytes=100-,200-' }, { status: 416 }],
    ['garbage → whole file', { range: 'items=0-1' }, { status: 200 }],
    ['etag match', { ifNoneMatch: '"abc"' }, { status: 304 }],
    ['etag mismatch', { ifNoneMatch: '"x"' }, { status: 200 }],
    ['not modified since', { ifModifiedSince: 'Mon, 01 Jan 2024 00:00:00 GMT' }, { status: 304 }],
    ['if-range stale', { range: 'bytes=0-1', ifRange: '"old"' }, { status: 200 }],
    ['if-range current', { range: 'bytes=0-1', ifRange: '"abc"' }, { status: 206, range: { start: 0, end: 1 } }],
  ];
  for (const [name, headers, expected] of cases) {
    void it(name, () => assert.deepEqual(planResponse(info, headers), expected));
  }
});

void describe('fileHeaders', () => {
  void it('images inline, download forces attachment', () => {
    assert.match(fileHeaders('a.png', info, false, false)['content-disposition'], /^inline/);
    assert.match(fileHeaders('a.png', info, true, false)['content-disposition'], /^attachment/);
  });
  void it('html and svg are attachments with the sandbox CSP', () => {
    const html = fileHeaders('a.html', { ...info, contentType: 'text/html; charset=utf-8' }, false, false);
    assert.match(html['content-disposition'], /^attachment/);
    assert.match(html['content-security-policy'], /sandbox/);
    assert.equal(
      fileHeaders('a.svg', { ...info, contentType: 'text/plain' }, false, false)['content-type'],
      'image/svg+xml',
    );
  });
});
