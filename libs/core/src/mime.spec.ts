import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { baseMime, sniffMime } from './mime';

void describe('sniffMime', () => {
  const cases: [string, Buffer, string][] = [
    ['png', Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex'), 'image/png'],
    ['jpeg', Buffer.from('ffd8ffe000104a464946', 'hex'), 'image/jpeg'],
    ['gif', Buffer.from('GIF89a\x01\x00\x01\x00', 'latin1'), 'image/gif'],
    ['webp', Buffer.from('RIFF\x00\x00\x00\x00WEBPVP8 ', 'latin1'), 'image/webp'],
    ['pdf', Buffer.from('%PDF-1.7\n'), 'application/pdf'],
    ['zip', Buffer.from('504b0304', 'hex'), 'application/zip'],
    ['html', Buffer.from('  <!DOCTYPE html><html>'), 'text/html; charset=utf-8'],
    ['html tag', Buffer.from('<script>alert(1)</script>'), 'text/html; charset=utf-8'],
    ['svg', Buffer.from('<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"/>'), 'image/svg+xml'],
    ['json', Buffer.from('{"a":1}'), 'application/json'],
    ['text', Buffer.from('hello\nworld'), 'text/plain; charset=utf-8'],
    ['binary', Buffer.from([0, 1, 2, 3, 250]), 'application/octet-stream'],
    ['empty', Buffer.alloc(0), 'text/plain; charset=utf-8'],
  ];
  for (const [name, head, type] of cases) {
    void it(name, () => assert.equal(sniffMime(head), type));
  }
  void it('baseMime drops parameters', () => assert.equal(baseMime('Text/HTML; charset=utf-8'), 'text/html'));
});
