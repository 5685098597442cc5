import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { wellFormedJson } from './well-formed';

const parse = (text: string) => wellFormedJson(JSON.parse(text), text);

void describe('wellFormedJson', () => {
  void it('replaces lone surrogates in strings and keys, keeps pairs', () => {
    assert.deepEqual(parse('{"a\\ud800":["\\udc00x","\\ud83d\\ude00"],"n":1}'), { 'a\ufffd': ['\ufffdx', '😀'], n: 1 });
    assert.deepEqual(parse('"\\ud800\\ud800"'), '\ufffd\ufffd');
  });

  void it('keeps a __proto__ key as plain data', () => {
    const value = parse('{"__proto__":{"x":"\\ud800"}}') as Record<string, unknown>;
    assert.equal(Object.getPrototypeOf(value), Object.prototype);
    assert.deepEqual(Object.getOwnPropertyDescriptor(value, '__proto__')?.value, { x: '\ufffd' });
  });

  void it('returns text without surrogate escapes untouched', () => {
    const value = JSON.parse('{"a":"\\\\ud800"}') as unknown;
    assert.equal(wellFormedJson(value, '{"a":"b"}'), value);
  });
});
