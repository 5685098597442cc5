import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { storedFileName } from './file-input';

void describe('storedFileName', () => {
  const cases: [string, RegExp][] = [
    ['photo.png', /^photo_[a-z0-9]{10}\.png$/],
    ['My Holiday Photo.JPG', /^my_holiday_photo_[a-z0-9]{10}\.JPG$/],
    ['camelCaseName.txt', /^camel_case_name_[a-z0-9]{10}\.txt$/],
    ['a.png', /^a[a-z0-9]{10}_[a-z0-9]{10}\.png$/],
    ['../../etc/passwd', /^passwd_[a-z0-9]{10}$/],
    ['..\\..\\boot.ini', /^boot_[a-z0-9]{10}\.ini$/],
    ['noext', /^noext_[a-z0-9]{10}$/],
    ['weird.p/n*g', /^n_g_[a-z0-9]{10}$/],
    [`${'x'.repeat(150)}.pdf`, /^x{100}_[a-z0-9]{10}\.pdf$/],
  ];
  for (const [input, re] of cases) {
    void it(input.slice(0, 40), () => assert.match(storedFileName(input), re));
  }
  void it('two uploads of one name get different names', () =>
    assert.notEqual(storedFileName('a.png'), storedFileName('a.png')));
});
