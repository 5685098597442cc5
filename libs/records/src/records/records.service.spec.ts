// RecordsService on in-memory fakes (libs/testing): the branches a failure should name at this layer —
// a locked rule, a missing collection or record, field validation, and the event that follows the commit
// (never a rolled-back write). Rule conditions that need SQL are the API tier's (records-rules e2e).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ForbiddenError, loadConfig, NotFoundError, ValidationFailed } from '@lib/core';
import type { Database } from '@lib/database';
import { QueryCompiler } from '@lib/query';
import { buildCollection, type CollectionModel } from '@lib/schema';
import { FakePasswordHasher, FakeTransactions, InMemoryRecordRepository, RecordingEventBus } from '@lib/fakes';
import { CollectionsRegistry } from '../collections/collections.registry';
import { RecordDeps } from './record-deps';
import { RecordFileWriter } from './record-files';
import { RecordPresenter } from './record-presenter';
import type { RecordRequest } from './record-request';
import { RecordsService } from './records.service';
import { RelationWriter } from './relation-writer';
import { RuleGuard } from './rule-guard';

const OPEN = { listRule: '', viewRule: '', createRule: '', updateRule: '', deleteRule: '' };
const GUEST: RecordRequest = { auth: null, query: {}, headers: {}, method: 'POST', context: 'default' };
const SUPERUSER: RecordRequest = {
  ...GUEST,
  auth: {
    collectionId: 'pbc_3142635823',
    collectionName: '_superusers',
    record: { id: 's1' },
    isSuperuser: true,
    token: '',
  },
};

function setup() {
  const journal: string[] = [];
  const registry = new CollectionsRegistry();
  const posts = buildCollection(
    { name: 'posts', ...OPEN, fields: [{ name: 'title', type: 'text', required: true, max: 20 }] },
    undefined,
    [],
  );
  const locked = buildCollection({ name: 'locked', fields: [{ name: 'title', type: 'text' }] }, undefined, [posts]);
  registry.replaceAll([posts, locked]);
  const repository = new InMemoryRecordRepository();
  const bus = new RecordingEventBus(journal);
  const rules = new RuleGuard(new QueryCompiler(), registry);
  const presenter = new RecordPresenter(registry, repository, rules, loadConfig({}));
  const files = new RecordFileWriter(null);
  const transactions = new FakeTransactions(journal);
  const deps = new RecordDeps(
    transactions as unknown as Database,
    bus,
    new FakePasswordHasher(),
    new RelationWriter(registry, repository, files),
    files,
  );
  const service = new RecordsService(registry, repository, rules, presenter, deps);
  return { service, repository, bus, journal, posts, locked };
}

const seed = (repository: InMemoryRecordRepository, c: CollectionModel, id: string, title: string) =>
  repository.seed(c, { id, title });

void describe('RecordsService', () => {
  void it('creates a record and publishes record.created only after the commit', async () => {
    const { service, repository, bus, journal } = setup();
    const created = await service.create('posts', { title: 'hello' }, '', GUEST);
    assert.equal(created.title, 'hello');
    assert.equal(repository.writes.length, 1);
    assert.deepEqual(journal, ['begin', 'commit', 'publish record.created']);
    assert.equal((bus.published[0].payload as { record: { id: string } }).record.id, created.id);
  });

  void it('refuses a locked createRule to a guest with 403, writing and publishing nothing', async () => {
    const { service, repository, journal } = setup();
    await assert.rejects(service.create('locked', { title: 'x' }, '', GUEST), ForbiddenError);
    assert.deepEqual(repository.writes, []);
    assert.deepEqual(journal, [], 'refused before any transaction (and before any upload journal note)');
  });

  void it('lets a superuser past a locked rule', async () => {
    const { service, bus } = setup();
    await service.create('locked', { title: 'x' }, '', SUPERUSER);
    assert.deepEqual(bus.names(), ['record.created']);
  });

  void it('answers a missing collection with 404', async () => {
    const { service } = setup();
    await assert.rejects(service.create('nope', {}, '', GUEST), NotFoundError);
    await assert.rejects(service.view('nope', 'x', '', GUEST), NotFoundError);
  });

  void it('fails validation with the field named, and publishes nothing', async () => {
    const { service, repository, journal } = setup();
    const failure = await service.create('posts', { title: 'x'.repeat(21) }, '', GUEST).catch((e: unknown) => e);
    assert.ok(failure instanceof ValidationFailed, String(failure));
    assert.deepEqual(Object.keys(failure.data), ['title']);
    const required = await service.create('posts', {}, '', GUEST).catch((e: unknown) => e);
    assert.ok(required instanceof ValidationFailed && 'title' in required.data);
    assert.deepEqual(repository.writes, []);
    assert.ok(!journal.some((j) => j.startsWith('publish')), journal.join());
  });

  void it('updates: 404 for a missing record, record.updated after the commit otherwise', async () => {
    const { service, posts, repository, journal } = setup();
    await assert.rejects(service.update('posts', 'missingmissing1', { title: 'y' }, '', GUEST), NotFoundError);
    seed(repository, posts, 'aaaaaaaaaaaaaaa', 'before');
    journal.length = 0;
    const updated = await service.update('posts', 'aaaaaaaaaaaaaaa', { title: 'after' }, '', GUEST);
    assert.equal(updated.title, 'after');
    assert.deepEqual(journal, ['begin', 'commit', 'publish record.updated']);
  });

  void it('deletes: 403 on a locked rule, record.deleted after the commit otherwise', async () => {
    const { service, posts, locked, repository, journal } = setup();
    seed(repository, locked, 'lllllllllllllll', 'kept');
    await assert.rejects(service.delete('locked', 'lllllllllllllll', GUEST), ForbiddenError);
    assert.equal(repository.rows(locked).length, 1);
    seed(repository, posts, 'ddddddddddddddd', 'doomed');
    journal.length = 0;
    await service.delete('posts', 'ddddddddddddddd', GUEST);
    assert.equal(repository.rows(posts).length, 0);
    assert.deepEqual(journal, ['begin', 'commit', 'publish record.deleted']);
  });

  void it('views a record under an open rule and 404s a missing one', async () => {
    const { service, posts, repository } = setup();
    seed(repository, posts, 'vvvvvvvvvvvvvvv', 'seen');
    assert.equal((await service.view('posts', 'vvvvvvvvvvvvvvv', '', GUEST))?.title, 'seen');
    await assert.rejects(service.view('posts', 'missingmissing1', '', GUEST), NotFoundError);
  });
});
