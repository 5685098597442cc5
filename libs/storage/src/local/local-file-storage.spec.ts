import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { text } from 'node:stream/consumers';
import { after, describe, it } from 'node:test';
import { storageKey } from '../storage-key';
import { LocalFileStorage } from './local-file-storage';

void describe('LocalFileStorage', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'nb-local-storage-'));
  const storage = new LocalFileStorage(path.join(dir, 'storage'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  void it('puts, stats, reads ranges and deletes by prefix', async () => {
    await storage.put('c/r/a.txt', Buffer.from('hello world'));
    const info = await storage.stat('c/r/a.txt');
    assert.equal(info?.size, 11);
    assert.equal(info?.contentType, 'text/plain; charset=utf-8');
    const part = await storage.get('c/r/a.txt', { start: 6, end: 10 });
    assert.equal(await text(part!.stream), 'world');
    await storage.deletePrefix('c/r/');
    assert.equal(await storage.exists('c/r/a.txt'), false);
  });

  void it('moves an upload into place', async () => {
    const upload = path.join(dir, 'upload.tmp');
    writeFileSync(upload, 'moved');
    await storage.putFile('c/r2/b.txt', upload);
    const read = await storage.get('c/r2/b.txt');
    assert.equal(await text(read!.stream), 'moved');
  });

  void it('a file removed between its stat and its read is missing, not a stream that fails', async () => {
    class Racing extends LocalFileStorage {
      override async stat(key: string) {
        const info = await super.stat(key);
        rmSync(path.join(dir, 'storage', key));
        return info;
      }
    }
    const racing = new Racing(path.join(dir, 'storage'));
    await racing.put('c/r3/gone.txt', Buffer.from('gone'));
    assert.equal(await racing.get('c/r3/gone.txt'), null);
  });

  void it('missing files are null', async () => {
    assert.equal(await storage.stat('c/none/x'), null);
    assert.equal(await storage.get('c/none/x'), null);
  });

  void it('keys with traversal never reach the filesystem', async () => {
    assert.throws(() => storageKey('c', '..', 'x'));
    assert.throws(() => storageKey('c', 'r', 'a/../../b'));
    assert.throws(() => storageKey('c', 'r', 'a\\b'));
    await assert.rejects(storage.put('../escape.txt', Buffer.from('x')));
  });
});
