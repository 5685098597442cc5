// StoreSync.changeMark() on a real SQLite file: the verified-token cache keeps its entries while the mark holds,
// so it must hold across writes of records of other collections (the create hot path) and move on everything
// an auth token is verified against: an auth record written here, a collection, the settings, a schema
// transaction, a rollback, and any commit by another connection (another process).
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';

import type { AppConfig } from '@lib/core';
import { Database, openDataSource } from '@lib/database';
import type { CollectionModel } from '@lib/schema';

import { IndexAdvisor } from '../records/index-advisor';
import type { SettingsService } from '../settings/settings.service';
import { TypeormCollectionRepository } from '../typeorm/typeorm-collection.repository';
import { TypeormRecordRepository } from '../typeorm/typeorm-record.repository';
import type { CollectionsService } from './collections.service';
import { StoreSync } from './store-sync';

const model = (name: string, type: CollectionModel['type'], fields: string[]): CollectionModel =>
  ({
    id: name,
    name,
    type,
    system: false,
    fields: fields.map((n) => ({ name: n })),
    indexes: [],
    created: '',
    updated: '',
  }) as never;
const users = model('users', 'auth', ['id', 'tokenKey']);
const notes = model('notes', 'base', ['id', 'title']);

void describe('StoreSync.changeMark', () => {
  let dir = '';
  let db: Database;
  let other: Database;
  let sync: StoreSync;
  let records: TypeormRecordRepository;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'nestbase-change-mark-'));
    db = new Database(await openDataSource({ dataDir: dir, busyTimeoutMs: 5000 }));
    other = new Database(await openDataSource({ dataDir: dir, busyTimeoutMs: 5000 }));
    // openDataSource made the system tables (_collections, _params).
    await db.run('CREATE TABLE "users" ("id" TEXT PRIMARY KEY, "tokenKey" TEXT)');
    await db.run('CREATE TABLE "notes" ("id" TEXT PRIMARY KEY, "title" TEXT)');
    const collections = { loadedStamp: () => '0:', reload: async () => undefined } as unknown as CollectionsService;
    const settings = { loadedStamp: () => null } as unknown as SettingsService;
    sync = new StoreSync(db, collections, settings);
    records = new TypeormRecordRepository(db, new IndexAdvisor({ cost: { slowListMs: 0 } } as AppConfig));
  });

  after(async () => {
    await Promise.all([db?.close(), other?.close()]);
    await rm(dir, { recursive: true, force: true });
  });

  /** The mark after StoreSync's freshness check, as RequestAuthGuard reads it. */
  async function mark(): Promise<string | null> {
    await sync.ensureFresh();
    return sync.changeMark();
  }

  void it('holds across inserts, updates and deletes of a base collection', async () => {
    const before = await mark();
    assert.notEqual(before, null);
    await db.transaction(async (tx) => {
      await records.insert(notes, ['id', 'title'], ['n1', 'a'], tx);
      await records.update(notes, 'n1', ['title'], ['b'], tx);
      await records.delete(notes, 'n1', tx);
    });
    assert.equal(await mark(), before);
  });

  void it('moves on each insert, update and delete of an auth record', async () => {
    const seen = new Set([await mark()]);
    const steps = [
      (tx: Database) => records.insert(users, ['id', 'tokenKey'], ['u1', 'k1'], tx),
      (tx: Database) => records.update(users, 'u1', ['tokenKey'], ['k2'], tx),
      (tx: Database) => records.deleteWhere(users, { id: 'u1' }, tx),
      (tx: Database) => records.delete(users, 'u1', tx),
    ];
    for (const step of steps) {
      await db.transaction(async () => void (await step(db)));
      seen.add(await mark());
    }
    assert.equal(seen.size, steps.length + 1);
  });

  void it('moves on a collection write, a settings-free schema transaction and a rollback', async () => {
    const seen = new Set([await mark()]);
    await db.transaction((tx) => new TypeormCollectionRepository(db).insert({ ...notes, id: 'c1' }, tx));
    seen.add(await mark());
    await db.schemaTransaction((tx) => tx.run('UPDATE "users" SET "tokenKey" = ?', ['raw']));
    seen.add(await mark());
    await assert.rejects(
      db.transaction(() => Promise.reject(new Error('undo'))),
      /undo/,
    );
    seen.add(await mark());
    assert.equal(seen.size, 4);
  });

  void it("moves on another connection's commit, whatever it wrote", async () => {
    const before = await mark();
    await other.run('INSERT INTO "notes" VALUES (?, ?)', ['n2', 'x']);
    await new Promise((resolve) => setImmediate(resolve)); // data_version is read once per event-loop turn
    assert.notEqual(await mark(), before);
  });
});
