import { describe, expect, it } from 'vitest';
import { FIELD_TYPES, insertField, isMultiple, newField, numberOrNull, parseList, withAutodates } from './field-types';
import { FIELD_OPTIONS } from '../field-options';

describe('field option forms', () => {
  it('has an options form for every field type', () => {
    expect(FIELD_TYPES.map((t) => t.type).sort()).toEqual(Object.keys(FIELD_OPTIONS).sort());
  });

  it('creates new fields with PocketBase defaults and a free name', () => {
    const field = newField('relation', ['relation']);
    expect(field).toMatchObject({ name: 'relation1', type: 'relation', maxSelect: 1, cascadeDelete: false });
    expect(newField('select', [])).toMatchObject({ name: 'field', values: [], maxSelect: 1 });
    expect(newField('autodate', [])).toMatchObject({ onCreate: true, onUpdate: false });
  });

  it('keeps the defaults of each new field separate', () => {
    const a = newField('file', []);
    (a.mimeTypes as string[]).push('image/png');
    expect(newField('file', []).mimeTypes).toEqual([]);
  });

  it('parses list and number options', () => {
    expect(parseList(' a, b ,,c ')).toEqual(['a', 'b', 'c']);
    expect(numberOrNull('')).toBeNull();
    expect(numberOrNull('12')).toBe(12);
    expect(numberOrNull('x')).toBeNull();
    expect(isMultiple({ name: 'f', type: 'file', maxSelect: 3 })).toBe(true);
    expect(isMultiple({ name: 'f', type: 'text', maxSelect: 3 })).toBe(false);
  });

  it('gives new collections created/updated autodate fields once', () => {
    const fields = withAutodates([{ name: 'id', type: 'text' }]);
    expect(fields.map((f) => f.name)).toEqual(['id', 'created', 'updated']);
    expect(fields[2]).toMatchObject({ type: 'autodate', onCreate: true, onUpdate: true });
    expect(withAutodates(fields)).toHaveLength(3);
  });

  it('inserts new fields before the trailing created/updated, autodates at the end', () => {
    const fields = withAutodates([{ name: 'id', type: 'text' }]);
    expect(insertField(fields, { name: 'title', type: 'text' })).toBe(1);
    expect(insertField(fields, { name: 'done', type: 'bool' })).toBe(2);
    expect(insertField(fields, { name: 'seen', type: 'autodate' })).toBe(5);
    expect(fields.map((f) => f.name)).toEqual(['id', 'title', 'done', 'created', 'updated', 'seen']);
    const plain = [{ name: 'a', type: 'text' }];
    expect(insertField(plain, { name: 'b', type: 'text' })).toBe(1);
  });
});
