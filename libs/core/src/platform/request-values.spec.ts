import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { decodeUrlPart, parseQuery } from './request-values';

void describe('parseQuery', () => {
  void it('keeps the first value of a repeated key', () => {
    assert.deepEqual(parseQuery('token=a&token=b&x=1'), { token: 'a', x: '1' });
    assert.deepEqual(parseQuery(''), {});
    assert.deepEqual(parseQuery('a&b='), { a: '', b: '' });
  });

  void it('makes prototype keys plain data', () => {
    const query = parseQuery('__proto__=x&constructor=y&__proto__[a]=1');
    assert.equal(Object.getPrototypeOf(query), Object.prototype);
    assert.deepEqual(Object.keys(query), ['__proto__', 'constructor', '__proto__[a]']);
    assert.equal(Object.getOwnPropertyDescriptor(query, '__proto__')?.value, 'x');
  });

  void it('decodes what it can and never throws', () => {
    assert.deepEqual(parseQuery('f=%zz&g=a+b%20c&h=%ED%A0%80'), { f: '%zz', g: 'a b c', h: '\ufffd\ufffd\ufffd' });
  });
});

void describe('decodeUrlPart', () => {
  void it('is a 400 on malformed percent-encoding', () => {
    assert.equal(decodeUrlPart('a%20b', 'x'), 'a b');
    assert.throws(() => decodeUrlPart('%E0%A4%A', 'batch request url'), { status: 400 });
  });
});
