import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { buildCollection } from '../collection-builder';
import { optionTypeErrors } from './option-types';

const codes = (errors: Record<string, { code: string }>) =>
  Object.fromEntries(Object.entries(errors).map(([k, v]) => [k, v.code]));

void describe('field option types', () => {
  void it('accepts the types PocketBase stores, and null as unset', () => {
    assert.deepEqual(optionTypeErrors({ min: 1, max: null, pattern: '', hidden: true, help: 'x' }, 'text'), {});
    assert.deepEqual(optionTypeErrors({ min: '2020-01-01 00:00:00.000Z', max: '' }, 'date'), {});
    assert.deepEqual(optionTypeErrors({ thumbs: ['100x100'], mimeTypes: null, protected: false }, 'file'), {});
  });

  void it('names every option of the wrong type', () => {
    assert.deepEqual(codes(optionTypeErrors({ exceptDomains: 'a.com', onlyDomains: [1] }, 'email')), {
      exceptDomains: 'validation_invalid_value',
      onlyDomains: 'validation_invalid_value',
    });
    assert.deepEqual(codes(optionTypeErrors({ thumbs: 5, maxSelect: '2', hidden: 'yes' }, 'file')), {
      thumbs: 'validation_invalid_value',
      maxSelect: 'validation_invalid_value',
      hidden: 'validation_invalid_value',
    });
    assert.deepEqual(codes(optionTypeErrors({ min: 5 }, 'date')), { min: 'validation_invalid_value' });
  });

  void it('makes a collection save a 400 at the option, never a crash', () => {
    for (const field of [
      { name: 'f', type: 'file', thumbs: 5 },
      { name: 'f', type: 'file', mimeTypes: { a: 1 } },
      { name: 'f', type: 'url', onlyDomains: 'example.com' },
      { name: 'f', type: 'select', values: ['a'], maxSelect: 'x' },
    ]) {
      assert.throws(
        () => buildCollection({ name: 'opts', fields: [field] }, undefined, []),
        (error: { data?: { fields?: Record<string, Record<string, { code: string }>> } }) => {
          const option = Object.keys(field).find((k) => !['name', 'type', 'values'].includes(k)) ?? '';
          return error.data?.fields?.['1']?.[option]?.code === 'validation_invalid_value';
        },
        JSON.stringify(field),
      );
    }
  });

  void it('an auth collection with an unusable name is a 400 at the name', () => {
    for (const name of [5, null, [], 'a b']) {
      assert.throws(
        () => buildCollection({ name, type: 'auth' }, undefined, []),
        (error: { data?: { name?: { code: string } } }) => typeof error.data?.name?.code === 'string',
      );
    }
  });
});
