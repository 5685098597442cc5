// File uploads and URLs through the official JS SDK (`pocketbase` 0.28): FormData/Blob and plain
// objects with File values, pb.files.getURL (thumbs, download), pb.files.getToken for protected files.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import PocketBase, { ClientResponseError, RecordModel } from 'pocketbase';

import { DEFAULT_PASSWORD, OPEN_RULES, RunningServer, startTestServer, uniqueEmail, uniqueSuffix } from '@lib/testing';

import { imageSize, makeImage } from './support/images';

let server: RunningServer | undefined;
let admin: PocketBase;
let albums = '';

function client(): PocketBase {
  assert.ok(server, 'server not started');
  const pb = new PocketBase(server.baseUrl);
  pb.autoCancellation(false);
  return pb;
}

async function download(url: string): Promise<{ status: number; bytes: Buffer; headers: Headers }> {
  const res = await fetch(url);
  return { status: res.status, bytes: Buffer.from(await res.arrayBuffer()), headers: res.headers };
}

void describe('files through the JS SDK', () => {
  before(async () => {
    server = await startTestServer(process.env);
    admin = client();
    await admin.collection('_superusers').authWithPassword(server.superuserEmail, server.superuserPassword);
    albums = `albums_${uniqueSuffix()}`;
    await admin.collections.create({
      name: albums,
      type: 'base',
      ...OPEN_RULES,
      viewRule: '@request.context != "protectedFile" || @request.auth.id != ""',
      fields: [
        { name: 'title', type: 'text' },
        { name: 'cover', type: 'file', maxSelect: 1, thumbs: ['40x30'] },
        { name: 'photos', type: 'file', maxSelect: 5 },
        { name: 'private', type: 'file', maxSelect: 1, protected: true },
      ],
    });
  });

  after(async () => {
    await server?.stop();
  });

  void it('create with FormData and Blob; getURL reads the same bytes', async () => {
    const png = await makeImage(80, 60);
    const data = new FormData();
    data.append('title', 'holiday');
    data.append('cover', new Blob([png], { type: 'image/png' }), 'Cover Image.png');
    const record = await client().collection(albums).create<RecordModel>(data);
    assert.match(String(record.cover), /^cover_image_[a-z0-9]{10}\.png$/);
    const got = await download(client().files.getURL(record, String(record.cover)));
    assert.equal(got.status, 200);
    assert.ok(got.bytes.equals(png));
  });

  void it('plain object with File values; thumbs and download through getURL', async () => {
    const png = await makeImage(80, 60);
    const record = await client()
      .collection(albums)
      .create<RecordModel>({ title: 'obj', cover: new File([png], 'c.png', { type: 'image/png' }) });
    const pb = client();
    const thumbUrl = pb.files.getURL(record, String(record.cover), { thumb: '40x30' });
    assert.deepEqual(imageSize((await download(thumbUrl)).bytes), { type: 'png', width: 40, height: 30 });
    const defaultThumb = pb.files.getURL(record, String(record.cover), { thumb: '100x100' });
    assert.deepEqual(imageSize((await download(defaultThumb)).bytes), { type: 'png', width: 100, height: 100 });
    const dl = await download(pb.files.getURL(record, String(record.cover), { download: true }));
    assert.match(dl.headers.get('content-disposition') ?? '', /^attachment/);
  });

  void it('update with photos+ and photos- modifiers', async () => {
    const pb = client();
    const created = await pb.collection(albums).create<RecordModel>({
      photos: [new File(['one'], 'one.txt'), new File(['two'], 'two.txt')],
    });
    const photos = created.photos as string[];
    assert.equal(photos.length, 2);
    const added = await pb
      .collection(albums)
      .update<RecordModel>(created.id, { 'photos+': new File(['three'], 'three.txt') });
    assert.equal((added.photos as string[]).length, 3);
    const removed = await pb.collection(albums).update<RecordModel>(created.id, { 'photos-': [photos[0]] });
    assert.deepEqual(removed.photos, (added.photos as string[]).slice(1));
    assert.equal((await download(pb.files.getURL(removed, photos[0]))).status, 404);
    assert.equal((await download(pb.files.getURL(removed, photos[1]))).bytes.toString(), 'two');
  });

  void it('protected files need pb.files.getToken()', async () => {
    const email = uniqueEmail('files');
    await client().collection('users').create({ email, password: DEFAULT_PASSWORD, passwordConfirm: DEFAULT_PASSWORD });
    const pb = client();
    await pb.collection('users').authWithPassword(email, DEFAULT_PASSWORD);
    const record = await pb.collection(albums).create<RecordModel>({ private: new File(['classified'], 'p.txt') });
    const plain = pb.files.getURL(record, String(record.private));
    assert.equal((await download(plain)).status, 404);
    const token = await pb.files.getToken();
    const signed = pb.files.getURL(record, String(record.private), { token });
    const got = await download(signed);
    assert.equal(got.status, 200);
    assert.equal(got.bytes.toString(), 'classified');
    await assert.rejects(
      client().files.getToken(),
      (err: unknown) => err instanceof ClientResponseError && err.status === 401,
    );
  });

  void it('a file over maxSize is a ClientResponseError 400 naming the field', async () => {
    const big = new File([Buffer.alloc(5 * 1024 * 1024 + 1)], 'big.bin');
    await assert.rejects(client().collection(albums).create({ cover: big }), (err: unknown) => {
      assert.ok(err instanceof ClientResponseError);
      assert.equal(err.status, 400);
      assert.equal((err.response.data as Record<string, { code: string }>).cover.code, 'validation_file_size_limit');
      return true;
    });
  });
});
