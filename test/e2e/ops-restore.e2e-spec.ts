// Backups end to end through the JS SDK, each on this file's own server: a restore round trip (data and files
// back exactly, later data gone, the app restarted in-process), a backup taken under a running write load that
// opens and passes `PRAGMA integrity_check`, backups on S3 (s3rver), and the SDK's pb.logs / pb.crons calls.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';

import BetterSqlite3 from 'better-sqlite3';
import PocketBase from 'pocketbase';
import * as yauzl from 'yauzl';

import { OPEN_RULES, startTestServer, text, file, type RunningServer } from '@lib/testing';
import { startS3, type TestS3 } from './support/s3-server';

const TIMEOUT = { timeout: 120_000 };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
let server: RunningServer;
let pb: PocketBase;
const work = mkdtempSync(join(tmpdir(), 'nb-ops-restore-'));

async function login(): Promise<void> {
  await pb.collection('_superusers').authWithPassword(server.superuserEmail, server.superuserPassword);
}

/** Polls until `check` holds (the restore answers before it swaps the data and restarts). */
async function until(check: () => Promise<boolean>, ms = 30_000): Promise<void> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await check().catch(() => false)) {
      return;
    }
    await sleep(100);
  }
  assert.fail('condition not met in time');
}

/** The `name` entry of the zip at `zipPath`, extracted to a file. */
function unzipEntry(zipPath: string, name: string, out: string): Promise<void> {
  return new Promise((resolve, reject) => {
    yauzl.open(zipPath, { lazyEntries: true }, (error, zip) => {
      if (error || !zip) {
        reject(error ?? new Error('no zip'));
        return;
      }
      zip.on('entry', (entry: yauzl.Entry) => {
        if (entry.fileName !== name) {
          zip.readEntry();
          return;
        }
        zip.openReadStream(entry, (err, stream) => {
          if (err || !stream) {
            reject(err ?? new Error('no stream'));
            return;
          }
          const chunks: Buffer[] = [];
          stream.on('data', (c: Buffer) => chunks.push(c));
          stream.on('end', () => {
            writeFileSync(out, Buffer.concat(chunks));
            zip.close();
            resolve();
          });
        });
      });
      zip.on('end', () => reject(new Error(`${name} not in the archive`)));
      zip.readEntry();
    });
  });
}

async function download(key: string, to: string): Promise<void> {
  const token = await pb.files.getToken();
  const res = await fetch(pb.backups.getDownloadURL(token, key));
  assert.equal(res.status, 200);
  writeFileSync(to, Buffer.from(await res.arrayBuffer()));
}

void describe('backups through the SDK', () => {
  before(async () => {
    server = await startTestServer({ ...process.env, NB_TEST_BASE_URL: '' });
    pb = new PocketBase(server.baseUrl);
    await login();
  });
  after(async () => {
    await server?.stop();
    rmSync(work, { recursive: true, force: true });
  });

  void it('restores data and files exactly; later data is gone', TIMEOUT, async () => {
    await pb.collections.create({ name: 'notes', type: 'base', ...OPEN_RULES, fields: [text('title'), file('doc')] });
    const bytes = Buffer.from(Array.from({ length: 70_000 }, (_, i) => (i * 31) % 256));
    const form = new FormData();
    form.append('title', 'before');
    form.append('doc', new Blob([bytes]), 'doc.bin');
    const kept = await pb.collection('notes').create(form);
    await pb.backups.create('round_trip.zip');

    await pb.collection('notes').update(kept.id, { title: 'changed after' });
    const later = await pb.collection('notes').create({ title: 'later' });
    await pb.collections.create({ name: 'later_collection', type: 'base' });

    const started = Date.now();
    await pb.backups.restore('round_trip.zip');
    await until(async () => {
      await login();
      return (await pb.collection('notes').getList(1, 50)).items.every((r) => r.id !== later.id);
    });
    process.stdout.write(`# restore (answer → app back on the restored data): ${Date.now() - started} ms\n`);

    const back = await pb.collection('notes').getOne(kept.id);
    assert.equal(back.title, 'before');
    const res = await fetch(pb.files.getURL(back, String(back.doc)));
    assert.equal(res.status, 200);
    assert.ok(Buffer.from(await res.arrayBuffer()).equals(bytes), 'the file comes back byte for byte');
    await assert.rejects(pb.collections.getOne('later_collection'), { status: 404 });
    assert.ok(
      (await pb.backups.getFullList()).some((b) => b.key === 'round_trip.zip'),
      'backups survive a restore',
    );
  });

  void it('a backup taken under a write load opens and passes integrity_check', TIMEOUT, async () => {
    await pb.collections.create({ name: 'load', type: 'base', ...OPEN_RULES, fields: [text('body')] });
    let stop = false;
    let written = 0;
    const writer = async () => {
      const client = new PocketBase(server.baseUrl);
      while (!stop) {
        await client.collection('load').create({ body: 'x'.repeat(2000) });
        written++;
      }
    };
    const writers = Array.from({ length: 4 }, () => writer());
    await until(() => Promise.resolve(written >= 20)); // the load is on
    await pb.backups.create('under_load.zip');
    stop = true;
    await Promise.all(writers);
    const zip = join(work, 'under_load.zip');
    await download('under_load.zip', zip);
    const db = join(work, 'data.db');
    await unzipEntry(zip, 'data.db', db);
    const sqlite = new BetterSqlite3(db, { readonly: true });
    try {
      assert.equal(sqlite.pragma('integrity_check', { simple: true }), 'ok');
      const rows = (sqlite.prepare('SELECT COUNT(*) AS n FROM "load"').get() as { n: number }).n;
      assert.ok(rows > 0 && rows <= written, `${rows} rows in the backup, ${written} written in all`);
    } finally {
      sqlite.close();
    }
  });

  void it('stores backups on S3 when backups.s3 is enabled', TIMEOUT, async () => {
    const s3: TestS3 = await startS3();
    try {
      await pb.settings.update({ backups: { s3: s3.settings } });
      await pb.backups.create('on_s3.zip');
      assert.ok(s3.keys('').includes('on_s3.zip'), s3.keys('').join(', '));
      const listed = await pb.backups.getFullList();
      assert.deepEqual(
        listed.map((b) => b.key),
        ['on_s3.zip'],
      );
      const zip = join(work, 'on_s3.zip');
      await download('on_s3.zip', zip);
      await unzipEntry(zip, 'data.db', join(work, 's3-data.db'));
      assert.ok(readFileSync(join(work, 's3-data.db')).subarray(0, 15).toString() === 'SQLite format 3');
      await pb.backups.delete('on_s3.zip');
      assert.ok(!s3.keys('').includes('on_s3.zip'));
    } finally {
      await pb.settings.update({ backups: { s3: { enabled: false } } });
      await s3.stop();
    }
  });

  void it("serves the SDK's pb.logs and pb.crons", TIMEOUT, async () => {
    await fetch(`${server.baseUrl}/api/collections/sdk_missing/records`);
    await until(async () => (await pb.logs.getList(1, 1, { filter: 'data.status = 404' })).items.length > 0);
    const page = await pb.logs.getList(1, 1, { filter: 'data.status = 404', sort: '-created' });
    const one = await pb.logs.getOne(page.items[0].id);
    assert.equal(one.data.status, 404);
    const stats = await pb.logs.getStats({ filter: 'data.status = 404' });
    assert.ok(stats.length >= 1 && stats[0].total >= 1);
    const jobs = await pb.crons.getFullList();
    assert.ok(jobs.some((j) => j.id === '__pbLogsCleanup__'));
    assert.equal(await pb.crons.run('__pbOTPCleanup__'), true);
  });
});
