import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { bindValue, normalValue, TableChecksum, type CopyColumn } from './copy-values';

const COLUMNS: CopyColumn[] = [
  { name: 'id', kind: 'text' },
  { name: 'n', kind: 'numeric' },
  { name: 'flag', kind: 'boolean' },
  { name: 'meta', kind: 'json' },
];

const sum = (rows: Record<string, unknown>[]) => {
  const checksum = new TableChecksum(COLUMNS);
  rows.forEach((row) => checksum.add(row));
  return checksum;
};

void describe('db copy values', () => {
  void it('normalises what each database returns for the same stored value alike', () => {
    // SQLite (better-sqlite3) vs PostgreSQL's text output
    assert.equal(normalValue('boolean', 1), normalValue('boolean', 't'));
    assert.equal(normalValue('boolean', 0), normalValue('boolean', 'f'));
    assert.equal(normalValue('numeric', 0.1), normalValue('numeric', '0.1'));
    assert.equal(normalValue('numeric', 1e21), normalValue('numeric', '1e+21'));
    assert.equal(
      normalValue('json', '{"b":1, "a":[1,{"d":2,"c":3}]}'),
      normalValue('json', '{"a": [1, {"c": 3, "d": 2}], "b": 1}'),
    );
    assert.notEqual(normalValue('json', '{"a":1}'), normalValue('json', '{"a":2}'));
    assert.equal(normalValue('text', null), null);
    assert.notEqual(normalValue('text', ''), normalValue('text', null));
  });

  void it('binds values both drivers take', () => {
    assert.equal(bindValue('boolean', 't'), 1);
    assert.equal(bindValue('boolean', 'f'), 0);
    assert.equal(bindValue('numeric', '2.5'), 2.5);
    assert.equal(bindValue('text', Buffer.from('é')), 'é');
    assert.equal(bindValue('json', '[]'), '[]');
  });

  void it('checksums a table independently of row order, and any changed value changes it', () => {
    const rows = [
      { id: 'a', n: 1, flag: 1, meta: '{"x":1,"y":2}' },
      { id: 'b', n: 2.5, flag: 0, meta: null },
      { id: 'c', n: 0, flag: 1, meta: '[]' },
    ];
    const asPostgres = [
      { id: 'c', n: '0', flag: 't', meta: '[]' },
      { id: 'a', n: '1', flag: 't', meta: '{"y": 2, "x": 1}' },
      { id: 'b', n: '2.5', flag: 'f', meta: null },
    ];
    assert.equal(sum(rows).hex, sum(asPostgres).hex);
    assert.equal(sum(rows).rows, 3);
    assert.notEqual(sum(rows).hex, sum([...rows.slice(0, 2), { ...rows[2], flag: 0 }]).hex);
    assert.notEqual(sum(rows).hex, sum(rows.slice(0, 2)).hex);
    assert.notEqual(sum(rows).hex, sum([...rows, rows[0]]).hex);
  });
});
