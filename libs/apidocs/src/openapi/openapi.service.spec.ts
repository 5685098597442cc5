import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import type { RequestAuth } from '@lib/core';
import { CollectionsRegistry, type SettingsService, type StoreSync } from '@lib/records';
import { scaffold } from '@lib/schema';

import { OpenApiService } from './openapi.service';

type Settings = Record<string, Record<string, unknown>>;

/** The service over a real registry, settings held in memory (replaced whole on change, as SettingsService does). */
function setup() {
  const registry = new CollectionsRegistry();
  registry.replaceAll([{ ...scaffold('base'), id: 'pbc_posts', name: 'posts' }]);
  const state: { settings: Settings; syncs: number } = {
    settings: { meta: { appName: 'Shop' }, openapi: { public: false } },
    syncs: 0,
  };
  const settings = { get: () => Promise.resolve(state.settings) } as unknown as SettingsService;
  const sync = { ensureFresh: () => void (state.syncs += 1) } as unknown as StoreSync;
  return { registry, state, service: new OpenApiService(registry, settings, sync) };
}

const auth = (isSuperuser: boolean): RequestAuth => ({
  collectionId: 'c',
  collectionName: 'users',
  record: {},
  isSuperuser,
});

void describe('OpenApiService', () => {
  void it('builds the document once per version of the collections and the settings', async () => {
    const { registry, state, service } = setup();
    const first = await service.document();
    assert.equal((await service.document()).etag, first.etag);
    assert.equal(service.buildCount(), 1, 'served from the cache');
    assert.ok(state.syncs >= 2, 'other processes’ changes are looked for on every request');
    registry.replaceAll([...registry.allCollections(), { ...scaffold('base'), id: 'pbc_tags', name: 'tags' }]);
    const changed = await service.document();
    assert.equal(service.buildCount(), 2);
    assert.notEqual(changed.etag, first.etag);
    assert.ok(Object.hasOwn((JSON.parse(changed.json) as { paths: object }).paths, '/api/collections/tags/records'));
    state.settings = { ...state.settings, meta: { appName: 'Market' } };
    assert.match((await service.document()).json, /"title":"Market API"/);
    assert.equal(service.buildCount(), 3);
  });

  void it('lets superusers in, refuses others (401 guest, 403 auth record) unless openapi.public', async () => {
    const { state, service } = setup();
    await service.checkAccess(auth(true));
    await assert.rejects(service.checkAccess(null), { status: 401 });
    await assert.rejects(service.checkAccess(auth(false)), { status: 403 });
    state.settings = { ...state.settings, openapi: { public: true } };
    await service.checkAccess(null);
    await service.checkAccess(auth(false));
  });
});
