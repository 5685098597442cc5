import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { callSite, MigrationQueue } from './migration-queue';
import { Collection, Field, FIELD_CLASSES, unmarshal } from './migration-models';
import { bindNamed } from './migration-sql';

const tick = () => new Promise((r) => setTimeout(r, 5));

void describe('MigrationQueue', () => {
  void it('runs calls one after another in call order; drain waits for all, even those queued by calls', async () => {
    const queue = new MigrationQueue();
    const log: string[] = [];
    void queue.push(async () => {
      await tick();
      log.push('a');
      void queue.push(async () => log.push('c'));
    });
    void queue.push(async () => log.push('b'));
    assert.deepEqual(log, []);
    await queue.drain();
    assert.deepEqual(log, ['a', 'b', 'c']);
  });

  void it('a failed call nobody awaited fails the drain, with its call site; the calls after it are skipped', async () => {
    const queue = new MigrationQueue();
    const log: string[] = [];
    const boom = new Error('boom');
    void queue.push(async () => {
      throw boom;
    });
    void queue.push(async () => log.push('after'));
    await assert.rejects(queue.drain(), boom);
    assert.deepEqual(log, []);
    assert.match(callSite(boom) ?? '', /migration-queue\.spec/);
  });

  void it('a failed call that was awaited is left to the code awaiting it', async () => {
    const queue = new MigrationQueue();
    const log: string[] = [];
    const failed = queue.push(async () => {
      throw new Error('handled');
    });
    await assert.rejects(async () => failed, /handled/);
    void queue.push(async () => log.push('after'));
    await queue.drain();
    assert.deepEqual(log, ['after']);
  });
});

void describe('migration models', () => {
  void it('fields: add appends or replaces by id/name, addAt inserts, remove by id or name', () => {
    const c = new Collection({ name: 'posts', fields: [{ id: 'a', name: 'title', type: 'text' }] });
    c.fields.add(new FIELD_CLASSES.NumberField({ name: 'views' }));
    c.fields.add(new Field({ id: 'a', name: 'headline', type: 'text' }));
    c.fields.addAt(0, new Field({ name: 'first', type: 'bool' }));
    assert.deepEqual(c.fields.fieldNames(), ['first', 'headline', 'views']);
    assert.equal(c.fields.getByName('views')?.type, 'number');
    c.fields.removeById('a');
    c.fields.removeByName('first');
    assert.deepEqual(c.toJSON(), { name: 'posts', fields: [{ name: 'views', type: 'number' }] });
  });

  void it('unmarshal merges nested objects key by key and replaces arrays and values', () => {
    const c = new Collection({ name: 'u', passwordAuth: { enabled: true, identityFields: ['email'] }, indexes: ['x'] });
    unmarshal({ passwordAuth: { enabled: false }, indexes: [], listRule: null }, c);
    assert.deepEqual(c.passwordAuth, { enabled: false, identityFields: ['email'] });
    assert.deepEqual(c.indexes, []);
    assert.equal(c.listRule, null);
  });

  void it('raw SQL binds {:name} placeholders as values, and refuses a missing one', () => {
    assert.deepEqual(bindNamed('UPDATE t SET a = {:a} WHERE b = {:b} OR c = {:a}', { a: 1, b: "x'" }), [
      'UPDATE t SET a = ? WHERE b = ? OR c = ?',
      [1, "x'", 1],
    ]);
    assert.throws(() => bindNamed('SELECT {:nope}', {}), /nope/);
  });
});
