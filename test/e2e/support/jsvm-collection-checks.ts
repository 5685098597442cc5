// The collection hooks of a PocketBase-style file and their checks through the HTTP API — list, view, import,
// validate and the after-error hooks — run by a server that loaded JSVM_COLLECTIONS: standalone
// (hooks-jsvm-split.e2e-spec.ts) or the distributed set's records service (test/distributed/hooks.e2e-spec.ts). The
// hooks act on collections named `hkc_*` only (no `$app`: the realtime service loads the file too).
import assert from 'node:assert/strict';

import { HttpClient, text, WAIT_CEILING_MS } from '@lib/testing';

export const JSVM_COLLECTIONS = `
onCollectionsListRequest((e) => {
    e.result.items = e.result.items.filter((c) => c.name !== "hkc_hidden")
    e.result.hookSaw = e.collections.length
    e.next()
})

onCollectionViewRequest((e) => {
    if (e.collection.name === "hkc_hidden") {
        throw new NotFoundError("Hidden by a hook.")
    }
    if (e.collection.name.startsWith("hkc_")) {
        e.collection.hookNote = "viewed " + e.collection.name
    }
    e.next()
})

onCollectionsImportRequest((e) => {
    const names = e.collectionsData.map((c) => c.name)
    if (names.indexOf("hkc_refused") >= 0) {
        throw new BadRequestError("No import of " + names.join(",") + " (deleteMissing " + e.deleteMissing + ").")
    }
    e.collectionsData = e.collectionsData.map((c) => Object.assign({}, c, { listRule: "id != ''" }))
    e.next()
})

onCollectionValidate((e) => {
    if (e.collection.name.startsWith("hkc_invalid")) {
        throw new BadRequestError("Invalid by a hook: " + e.collection.name + ".")
    }
    e.next()
})

onCollectionAfterCreateError((e) => {
    if (e.collection.name.startsWith("hkc_")) {
        console.log("hkc create failed: " + e.collection.name + ": " + e.error.message)
    }
    e.next()
})

onCollectionAfterUpdateError((e) => {
    console.log("hkc update failed: " + e.collection.name + ": " + e.error.message)
    e.next()
}, "hkc_base")

onCollectionAfterDeleteError((e) => {
    console.log("hkc delete failed: " + e.collection.name + ": " + e.error.message)
    e.next()
}, "hkc_base")
`;

type Method = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';

export class CollectionHookChecks {
  private readonly http: HttpClient;

  constructor(
    baseUrl: string,
    private readonly su: string,
  ) {
    this.http = new HttpClient(baseUrl);
  }

  private call(method: Method, url: string, body?: unknown) {
    return this.http.request(method, url, { body, token: this.su });
  }

  private async make(body: Record<string, unknown>) {
    const res = await this.call('POST', '/api/collections', { type: 'base', ...body });
    assert.equal(res.status, 200, res.text);
    return res.json<{ id: string; name: string }>();
  }

  /** onCollectionsListRequest changes the list answered; onCollectionViewRequest refuses or changes the answer. */
  async reads(): Promise<void> {
    await this.make({ name: 'hkc_hidden', fields: [text('title')] });
    await this.make({ name: 'hkc_shown', fields: [text('title')] });
    const filter = encodeURIComponent('name ~ "hkc_"');
    const list = await this.call('GET', `/api/collections?filter=${filter}&perPage=100`);
    assert.equal(list.status, 200, list.text);
    const names = list.json<{ items: { name: string }[]; hookSaw: number }>();
    assert.ok(
      names.items.some((c) => c.name === 'hkc_shown'),
      list.text,
    );
    assert.ok(!names.items.some((c) => c.name === 'hkc_hidden'), 'filtered out by the hook');
    assert.equal(names.hookSaw, names.items.length + 1, 'e.collections: the list before the hook');
    const hidden = await this.call('GET', '/api/collections/hkc_hidden');
    assert.equal(hidden.status, 404, hidden.text);
    assert.equal(hidden.json<{ message: string }>().message, 'Hidden by a hook.');
    const shown = await this.call('GET', '/api/collections/hkc_shown');
    assert.equal(shown.json<{ hookNote: string }>().hookNote, 'viewed hkc_shown');
  }

  /** onCollectionsImportRequest refuses an import by what it holds, or changes the collections imported. */
  async imports(): Promise<void> {
    const item = (name: string) => ({ name, type: 'base', fields: [text('title')] });
    const refused = await this.call('PUT', '/api/collections/import', {
      collections: [item('hkc_refused'), item('hkc_other')],
      deleteMissing: false,
    });
    assert.equal(refused.status, 400, refused.text);
    assert.equal(
      refused.json<{ message: string }>().message,
      'No import of hkc_refused,hkc_other (deleteMissing false).',
    );
    assert.equal((await this.call('GET', '/api/collections/hkc_other')).status, 404, 'nothing imported');
    const done = await this.call('PUT', '/api/collections/import', { collections: [item('hkc_imported')] });
    assert.equal(done.status, 204, done.text);
    const imported = await this.call('GET', '/api/collections/hkc_imported');
    assert.equal(imported.json<{ listRule: string }>().listRule, "id != ''", 'the hook changed the import');
  }

  /**
   * onCollectionValidate refuses a collection; onCollectionAfterCreate/Update/DeleteError get the failed collection
   * and the error (logged by the hooks: read back from the logs API).
   */
  async validateAndErrors(): Promise<void> {
    const invalid = await this.call('POST', '/api/collections', { name: 'hkc_invalid_one', type: 'base' });
    assert.equal(invalid.status, 400, invalid.text);
    assert.equal(invalid.json<{ message: string }>().message, 'Invalid by a hook: hkc_invalid_one.');
    assert.equal((await this.call('GET', '/api/collections/hkc_invalid_one')).status, 404);
    const base = await this.make({ name: 'hkc_base', fields: [text('title')] });
    await this.make({ name: 'hkc_ref', fields: [{ name: 'base', type: 'relation', collectionId: base.id }] });
    const update = await this.call('PATCH', '/api/collections/hkc_base', { listRule: 'nosuchfield = 1' });
    assert.equal(update.status, 400, update.text);
    const removal = await this.call('DELETE', '/api/collections/hkc_base');
    assert.equal(removal.status, 400, removal.text);
    const logged = await this.logs('hkc ', 3);
    assert.deepEqual(logged, [
      'hkc create failed: hkc_invalid_one: Invalid by a hook: hkc_invalid_one.',
      `hkc delete failed: hkc_base: ${removal.json<{ message: string }>().message}`,
      `hkc update failed: hkc_base: ${update.json<{ message: string }>().message}`,
    ]);
  }

  /** The app log messages starting with `prefix`, sorted, once `n` of them are there. */
  private async logs(prefix: string, n: number): Promise<string[]> {
    const filter = encodeURIComponent(`message ~ "${prefix}%" && data.type = "app"`);
    const deadline = Date.now() + WAIT_CEILING_MS;
    for (;;) {
      const res = await this.call('GET', `/api/logs?perPage=50&filter=${filter}`);
      const messages = res.json<{ items: { message: string }[] }>().items.map((l) => l.message);
      if (messages.length >= n || Date.now() > deadline) {
        return messages.sort();
      }
      await new Promise((r) => setTimeout(r, 200));
    }
  }
}
