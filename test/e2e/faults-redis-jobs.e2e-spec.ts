// `files.delete` jobs queued while Redis is down, under two servers on one data directory (REDIS_URL): record
// deletes and file removals answer at once, their files (and thumbs) stay until Redis is back, then every job runs
// exactly once across both processes — each file and thumb gone, the completed count equal to the jobs queued,
// no failed attempt, nothing pending, nothing left in BullMQ's failed set.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';

import { HttpClient, makeCollection, ManagedProcess, OPEN_RULES, startNestbase, text, tokenFor } from '@lib/testing';

import { makeImage } from './support/images';
import { metricsText, sampleSum } from './support/metrics-scrape';
import { waitUntil } from './support/realtime-helpers';
import { RedisServer } from './support/redis-server';

const SU = { email: 'redis-jobs-su@example.com', password: 'Redis-Jobs-Superuser-Passw0rd' };
const JOB = 'files.delete';
const RECORDS = 6;
const DELETED = 4;

interface Doc {
  id: string;
  img: string[];
}

void describe('files.delete jobs across a Redis outage', { timeout: 60_000 }, () => {
  let dir = '';
  let redis: RedisServer | undefined;
  const servers: ManagedProcess[] = [];
  let su = '';
  let collectionId = '';

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'nb-redis-jobs-'));
    redis = await RedisServer.start();
    const env = { REDIS_URL: redis.url, PB_ADMIN_EMAIL: SU.email, PB_ADMIN_PASSWORD: SU.password, NB_BCRYPT_COST: '4' };
    servers.push(await startNestbase(dir, [], { env }), await startNestbase(dir, [], { env }));
    const http = new HttpClient(servers[0].baseUrl);
    su = await tokenFor(http, '_superusers', SU.email, SU.password);
    const body = makeCollection({
      name: 'docs',
      ...OPEN_RULES,
      fields: [text('title'), { name: 'img', type: 'file', maxSelect: 2, maxSize: 1_000_000, thumbs: ['10x10'] }],
    });
    const made = await http.request('POST', '/api/collections', { token: su, body });
    assert.equal(made.status, 200, made.text);
    collectionId = made.json<{ id: string }>().id;
  });

  after(async () => {
    await Promise.allSettled(servers.map((s) => s.stop()));
    await redis?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  const onDisk = (doc: Doc, name: string) => existsSync(join(dir, 'storage', collectionId, doc.id, name));
  const thumbsOnDisk = (doc: Doc, name: string) =>
    existsSync(join(dir, 'storage', collectionId, doc.id, `thumbs_${name}`));
  const completed = async () => {
    const texts = await Promise.all(servers.map((s) => metricsText(s.baseUrl)));
    return {
      done: texts.reduce((sum, t) => sum + sampleSum(t, 'nb_jobs_completed_total', { job: JOB }), 0),
      failed: texts.reduce((sum, t) => sum + sampleSum(t, 'nb_jobs_failed_total', { job: JOB }), 0),
    };
  };

  void it('runs every file deletion queued during the outage exactly once after Redis returns', async () => {
    const http = servers.map((s) => new HttpClient(s.baseUrl));
    const png = await makeImage(40, 30);
    const docs: Doc[] = [];
    for (let i = 0; i < RECORDS; i++) {
      const form = new FormData();
      form.append('title', `doc ${i}`);
      form.append('img', new Blob([png], { type: 'image/png' }), `a${i}.png`);
      form.append('img', new Blob([png], { type: 'image/png' }), `b${i}.png`);
      const res = await http[i % 2].request('POST', '/api/collections/docs/records', { body: form });
      assert.equal(res.status, 200, res.text);
      const doc = res.json<Doc>();
      docs.push(doc);
      for (const name of doc.img) {
        const thumb = await http[0].request('GET', `/api/files/${collectionId}/${doc.id}/${name}?thumb=10x10`);
        assert.equal(thumb.status, 200);
        assert.ok(thumbsOnDisk(doc, name), 'the thumb is stored');
      }
    }
    assert.deepEqual(await completed(), { done: 0, failed: 0 });

    const port = redis!.port;
    await redis!.stop();
    // during the outage: 4 records deleted, and one file removed from each of the 2 others, through both servers
    const removed = docs.slice(DELETED).map((doc) => doc.img[0]);
    const answers = await Promise.all([
      ...docs
        .slice(0, DELETED)
        .map((doc, i) => http[i % 2].request('DELETE', `/api/collections/docs/records/${doc.id}`)),
      ...docs
        .slice(DELETED)
        .map((doc, i) =>
          http[i % 2].request('PATCH', `/api/collections/docs/records/${doc.id}`, { body: { 'img-': [doc.img[0]] } }),
        ),
    ]);
    assert.deepEqual(
      answers.map((a) => a.status),
      [...Array<number>(DELETED).fill(204), ...Array<number>(RECORDS - DELETED).fill(200)],
    );
    // the files wait for the queue: nothing ran while Redis was gone
    assert.ok(
      docs.every((doc) => doc.img.every((name) => onDisk(doc, name))),
      'files removed without the queue',
    );

    redis = await RedisServer.start(undefined, port);
    const gone = () =>
      docs.slice(0, DELETED).every((doc) => !existsSync(join(dir, 'storage', collectionId, doc.id))) &&
      docs.slice(DELETED).every((doc, i) => !onDisk(doc, removed[i]) && !thumbsOnDisk(doc, removed[i]));
    await waitUntil(gone, 'the queued deletions after Redis returned', 30_000);
    // settled: nothing pending anywhere, and each of the RECORDS jobs completed once, none failed
    let pending = -1;
    for (let i = 0; i < 100 && pending !== 0; i++) {
      const res = await http[0].request('GET', `/api/jobs/${JOB}`, { token: su });
      pending = res.json<{ pending: number }>().pending;
      await new Promise((r) => setTimeout(r, 100));
    }
    assert.equal(pending, 0, 'files.delete jobs still pending');
    assert.deepEqual(await completed(), { done: RECORDS, failed: 0 }, 'each job ran once, none failed');
    assert.equal(await redis.cli('ZCARD', `nestbase:${JOB}:failed`), '0', 'nothing in the failed set');
    // the files not removed are still there, with their thumbs
    for (const [i, doc] of docs.slice(DELETED).entries()) {
      assert.ok(onDisk(doc, doc.img[1]) && thumbsOnDisk(doc, doc.img[1]), `the kept file of record ${DELETED + i}`);
    }
  });
});
