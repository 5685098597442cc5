import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { jsonTextTooDeep, MAX_JSON_DEPTH, valueTooDeep } from './json-depth';

const nested = (levels: number): string => '['.repeat(levels) + '1' + ']'.repeat(levels);

void describe('JSON depth', () => {
  void it('counts arrays and objects, not brackets inside strings', () => {
    assert.equal(jsonTextTooDeep(nested(MAX_JSON_DEPTH)), false);
    assert.equal(jsonTextTooDeep(nested(MAX_JSON_DEPTH + 1)), true);
    assert.equal(jsonTextTooDeep('{"a":' + nested(MAX_JSON_DEPTH).replace('1', '{}') + '}'), true);
    assert.equal(jsonTextTooDeep(JSON.stringify({ s: '['.repeat(5000) + '"\\"[' })), false);
  });

  void it('measures parsed values without recursion, however deep', () => {
    assert.equal(valueTooDeep(JSON.parse(nested(MAX_JSON_DEPTH))), false);
    assert.equal(valueTooDeep(JSON.parse(nested(MAX_JSON_DEPTH + 1))), true);
    assert.equal(valueTooDeep(JSON.parse(nested(50_000))), true);
    assert.equal(valueTooDeep({ a: [{ b: 1 }], c: 'x' }, 3), false);
    assert.equal(valueTooDeep({ a: [{ b: {} }] }, 3), true);
    assert.equal(valueTooDeep('text'), false);
  });
});
