// Thumbs on S3 made by two servers at once: two processes on one database (one data dir, or in the `pg` tier one
// PostgreSQL database) and one S3 (s3rver), many concurrent first requests of the same thumb split over both. Each
// server renders the thumb and PUTs it while the other reads or writes the same key; every answer is a 200 with the
// same whole image (the PostgreSQL service set once answered 500 here: two files replicas behind its gateway).
import assert from 'node:assert/strict';
import { readFileSync, truncateSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';

import sharp from 'sharp';

import { file, HttpClient, makeCollection, OPEN_RULES, TEST_CEILING_MS } from '@lib/testing';

import { imageSize } from './support/images';
import { startS3, type TestS3 } from './support/s3-server';
import { startTwoServers, type TwoServers } from './support/two-servers';

const SU = { email: 'thumbs-replicas-su@example.com', password: 'Thumbs-Replicas-Superuser-Passw0rd' };
const THUMBS = ['600x400', '300x300', '0x200', '500x0', '320x240t', '100x100f'];
/** Concurrent first requests of one thumb, alternating between the two servers. */
const REQUESTS = 16;
const IMAGES = 5;

/** A noisy PNG: its thumbs are large enough that a PUT of one takes a while (the window the race needs). */
function noisyImage(width: number, height: number, seed: number): Promise<Buffer> {
  const pixels = Buffer.alloc(width * height * 3);
  let x = seed * 2654435761;
  for (let i = 0; i < pixels.length; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    pixels[i] = x >>> 24;
  }
  return sharp(pixels, { raw: { width, height, channels: 3 } })
    .png()
    .toBuffer();
}

interface Got {
  status: number;
  bytes: Buffer;
  from: string;
}

async function fetchBytes(client: HttpClient, path: string): Promise<Got> {
  const res = await fetch(client.baseUrl + path);
  return { status: res.status, bytes: Buffer.from(await res.arrayBuffer()), from: client.baseUrl };
}

void describe('thumbs on S3 made by two servers at once', { timeout: TEST_CEILING_MS }, () => {
  let servers: TwoServers;
  let s3: TestS3;
  let collectionId = '';

  async function upload(client: HttpClient, n: number): Promise<string> {
    const form = new FormData();
    form.append('image', new Blob([await noisyImage(800, 600, n + 1)], { type: 'image/png' }), `pic${n}.png`);
    const created = await client.request('POST', '/api/collections/pics/records', { body: form });
    assert.equal(created.status, 200, created.text);
    const record = created.json<{ id: string; image: string }>();
    return `${record.id}/${record.image}`;
  }

  before(async () => {
    s3 = await startS3();
    servers = await startTwoServers('thumbs-replicas', SU);
    const { a, su } = servers;
    const settings = await a.request('PATCH', '/api/settings', { token: su, body: { s3: s3.settings } });
    assert.equal(settings.status, 200, settings.text);
    const pics = makeCollection({
      name: 'pics',
      ...OPEN_RULES,
      fields: [file('image', { maxSize: 5_000_000, thumbs: THUMBS })],
    });
    const made = await a.request('POST', '/api/collections', { token: su, body: pics });
    assert.equal(made.status, 200, made.text);
    collectionId = made.json<{ id: string }>().id;
  });

  after(async () => {
    await servers?.stop();
    await s3?.stop();
  });

  void it('concurrent first requests of each thumb through both servers all get the same whole thumb', async () => {
    const { a, b } = servers;
    for (let n = 0; n < IMAGES; n++) {
      const file = await upload(n % 2 ? b : a, n);
      const base = `/api/files/pics/${file}`;
      for (const thumb of THUMBS) {
        const all = await Promise.all(
          Array.from({ length: REQUESTS }, (_, i) => fetchBytes(i % 2 ? b : a, `${base}?thumb=${thumb}`)),
        );
        const failed = all.filter((got) => got.status !== 200);
        assert.deepEqual(
          failed.map((got) => `${got.from}: ${got.status} ${got.bytes.toString().slice(0, 200)}`),
          [],
          `thumb ${thumb} of image ${n}`,
        );
        const size = imageSize(all[0].bytes);
        assert.equal(size.type, 'png');
        for (const got of all) {
          assert.ok(got.bytes.equals(all[0].bytes), `thumb ${thumb} of image ${n}: the same bytes from ${got.from}`);
        }
        // and what is stored is that thumb, whole
        const again = await fetchBytes(n % 2 ? a : b, `${base}?thumb=${thumb}`);
        assert.equal(again.status, 200);
        assert.ok(again.bytes.equals(all[0].bytes), `thumb ${thumb} of image ${n} read back from S3`);
      }
      assert.equal(s3.keys(`${collectionId}/${file.split('/')[0]}/`).length, 1 + THUMBS.length);
    }
  });

  void it('a stored thumb whose read is torn (shorter than its ETag says) is made again and served whole', async () => {
    const { a, b } = servers;
    const file = await upload(a, 99);
    const url = `/api/files/pics/${file}?thumb=600x400`;
    const first = await fetchBytes(a, url);
    assert.equal(first.status, 200);
    const [stored] = s3.keys(`${collectionId}/${file.split('/')[0]}/`).filter((k) => k.includes('600x400'));
    const object = join(s3.directory, s3.bucket, `${stored}._S3rver_object`);
    assert.ok(readFileSync(object).equals(first.bytes));
    // what s3rver holds while a PUT of the key is under way: a part of the bytes, the whole one's MD5 beside it
    truncateSync(object, Math.floor(first.bytes.length / 2));
    const again = await fetchBytes(b, url);
    assert.equal(again.status, 200);
    assert.ok(again.bytes.equals(first.bytes), 'the whole thumb, made again');
    assert.ok(readFileSync(object).equals(first.bytes), 'and stored again');
  });
});
