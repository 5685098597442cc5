// findAllSince on a real SQLite database: only definitions whose `updated` moved are read again, the others are the
// known objects themselves, and the result equals a full findAll (order included) after updates, deletes and inserts.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';

import { Database, openDataSource } from '@lib/database';
import type { CollectionModel } from '@lib/schema';

import { TypeormCollectionRepository } from './typeorm-collection.repository';

const model = (id: string, n: number, updated: string): CollectionModel =>
  ({
    id,
    name: `c_${id}`,
    type: 'base',
    system: false,
    fields: [{ id: `f${n}`, name: `field${n}`, type: 'text' }],
    indexes: [],
    listRule: null,
    viewRule: null,
    createRule: null,
    updateRule: null,
    deleteRule: null,
    created: `2026-01-01 00:00:0${n}.000Z`,
    updated,
  }) as unknown as CollectionModel;

void describe('TypeormCollectionRepository.findAllSince', () => {
  let dir = '';
  let db: Database;
  let repo: TypeormCollectionRepository;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'nestbase-since-'));
    db = new Database(await openDataSource({ dataDir: dir, busyTimeoutMs: 5000 }));
    repo = new TypeormCollectionRepository(db);
  });

  after(async () => {
    await db?.close();
    await rm(dir, { recursive: true, force: true });
  });

  void it('keeps the known objects of unchanged rows and reads the changed, new and gone ones', async () => {
    const base = (await repo.findAll()).length; // the system collections the data source starts with
    for (const [id, n] of [
      ['a', 1],
      ['b', 2],
      ['c', 3],
      ['d', 4],
    ] as const) {
      await repo.insert(model(id, n, 'u1'), db);
    }
    const known = await repo.findAll();
    assert.equal(known.length, base + 4);
    const same = await repo.findAllSince(known);
    assert.deepEqual(same, known);
    same.forEach((c, i) => assert.equal(c, known[i], `${c.name}: the known object`));

    await repo.update({ ...model('b', 2, 'u2'), name: 'c_b_renamed' }, db);
    await repo.delete('c', db);
    await repo.insert(model('e', 5, 'u1'), db);
    const since = await repo.findAllSince(known);
    assert.deepEqual(since, await repo.findAll(), 'what a full read gives, in its order');
    const byId = new Map(since.map((c) => [c.id, c]));
    assert.equal(
      byId.get('a'),
      known.find((c) => c.id === 'a'),
      'unchanged: the known object',
    );
    assert.equal(byId.get('b')?.name, 'c_b_renamed', 'updated: read again');
    assert.equal(byId.has('c'), false, 'deleted: gone');
    assert.equal(byId.get('e')?.name, 'c_e', 'new: read');
  });

  void it('reads everything when nothing is known', async () => {
    assert.deepEqual(await repo.findAllSince([]), await repo.findAll());
  });
});
