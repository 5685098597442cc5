import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { creationOrder, fromCollectionRow, type PbCollection } from './pb-collections';
import { planSettings } from './pb-settings';

const rel = (name: string, collectionId: string) => ({ id: `r_${name}`, name, type: 'relation', collectionId });
const text = (name: string) => ({ id: `t_${name}`, name, type: 'text' });
function coll(id: string, fields: PbCollection['fields'], extra: Partial<PbCollection> = {}): PbCollection {
  return { id, name: id, type: 'base', system: false, fields, indexes: [], listRule: 'id != ""', ...extra };
}

void describe('fromCollectionRow', () => {
  void it('spreads the JSON columns of a PocketBase v0.23 row', () => {
    const c = fromCollectionRow({
      id: 'x',
      name: 'users',
      type: 'auth',
      system: 0,
      fields: '[{"id":"f","name":"a","type":"text"}]',
      indexes: '["CREATE INDEX `i` ON `users` (`a`)"]',
      options: '{"authRule":"","mfa":{"enabled":true}}',
    });
    assert.deepEqual(c.fields, [{ id: 'f', name: 'a', type: 'text' }]);
    assert.equal(c.indexes.length, 1);
    assert.equal(c.system, false);
    assert.deepEqual(c.mfa, { enabled: true });
  });
});

void describe('creationOrder', () => {
  void it('creates relation targets first, views last, without rules', () => {
    const order = creationOrder([
      coll('posts', [text('title'), rel('author', 'users')]),
      coll('v', [], { type: 'view', viewQuery: 'select id from posts' }),
      coll('users', [text('name'), rel('self', 'users')]),
    ]);
    assert.deepEqual(
      order.map((c) => c.id),
      ['users', 'posts', 'v'],
    );
    assert.ok(order.every((c) => c.listRule === null));
  });

  void it('breaks a cycle by leaving one relation (and its indexes) to the second pass', () => {
    const order = creationOrder([
      coll('a', [text('t'), rel('b', 'b')], {
        indexes: ['CREATE INDEX `ib` ON `a` (`b`)', 'CREATE INDEX `it` ON `a` (`t`)'],
      }),
      coll('b', [rel('a', 'a')]),
    ]);
    assert.deepEqual(
      order.map((c) => [c.id, c.fields.map((f) => f.name), c.indexes.length]),
      [
        ['a', ['t'], 1],
        ['b', ['a'], 0],
      ],
    );
  });

  void it('keeps the rules of system collections (they cannot change later)', () => {
    const [c] = creationOrder([coll('_mfas', [], { system: true })]);
    assert.equal(c.listRule, 'id != ""');
  });
});

void describe('planSettings', () => {
  const template = { meta: { appName: '', appURL: '' }, smtp: { enabled: false } };
  void it('keeps what nestbase has and reports the rest', () => {
    const plan = planSettings(
      JSON.stringify({ meta: { appName: 'acme', extra: 1 }, smtp: { enabled: true }, unknownGroup: {} }),
      template,
    );
    assert.deepEqual(plan.groups, { meta: { appName: 'acme' }, smtp: { enabled: true } });
    assert.deepEqual(plan.skipped, [
      'settings.meta.extra: not a nestbase setting',
      'settings.unknownGroup: not a nestbase setting',
    ]);
  });

  void it('reports encrypted settings instead of failing', () => {
    const plan = planSettings('aGVsbG8gd29ybGQ=', template);
    assert.deepEqual(plan.groups, {});
    assert.match(plan.skipped[0], /encrypted/);
  });
});
