// S3 failing while a file is read (s3rver behind a proxy that cuts chosen answers short): an answer cut before its
// first byte is a 503 in PocketBase's envelope (the download's status isn't sent yet), one cut mid-body closes the
// download's connection short of its Content-Length (its 200 is already sent), and the next read is whole again.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { get, type IncomingHttpHeaders } from 'node:http';
import { after, before, describe, it } from 'node:test';

import { TEST_CEILING_MS } from '@lib/testing';
import { startGatedDocs, type GatedDocs } from './support/gated-docs';
import type { S3Gate } from './support/s3-gate';

const SIZE = 1024 * 1024;
const UNAVAILABLE = { status: 503, message: 'The file storage is unavailable, please try again.', data: {} };

interface Download {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
  /** The whole body arrived (the connection wasn't closed short of it). */
  complete: boolean;
}

/** A GET read to its end or to its connection's close, whichever comes first. */
function download(url: string, headers: Record<string, string> = {}): Promise<Download> {
  return new Promise((resolve, reject) => {
    get(url, { headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('error', () => undefined); // a connection closed mid-body: seen as `complete: false`
      res.on('close', () =>
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          body: Buffer.concat(chunks),
          complete: res.complete,
        }),
      );
    }).on('error', reject);
  });
}

void describe('S3 failing while a file is read', { timeout: TEST_CEILING_MS }, () => {
  const content = randomBytes(SIZE);
  let docs: GatedDocs;
  let gate: S3Gate;
  let url = '';
  let stored = '';

  const isRead = (method: string, path: string) => method === 'GET' && path.includes(stored);

  before(async () => {
    docs = await startGatedDocs('s3-read-fault');
    gate = docs.gate;
    const http = docs.http;
    const form = new FormData();
    form.append('doc', new Blob([content], { type: 'application/octet-stream' }), 'data.bin');
    const created = await http.request('POST', '/api/collections/docs/records', { body: form });
    assert.equal(created.status, 200, created.text);
    const record = created.json<{ id: string; doc: string }>();
    stored = `/${record.id}/${record.doc}`;
    url = `${docs.server.baseUrl}/api/files/docs${stored}`;
  });

  after(async () => {
    await docs?.stop();
  });

  const cases: [string, Record<string, string>][] = [
    ['the whole file', {}],
    ['one range', { range: 'bytes=10-20' }],
    ['several ranges', { range: 'bytes=0-9,100-109' }],
  ];
  for (const [name, headers] of cases) {
    void it(`${name}: an S3 answer cut before its first byte is a 503 in the envelope`, async () => {
      gate.cut(isRead, 0);
      let failed: Download;
      try {
        failed = await download(url, headers);
      } finally {
        gate.release();
      }
      assert.equal(failed.status, 503, failed.body.toString());
      assert.deepEqual(JSON.parse(failed.body.toString()), UNAVAILABLE);
      const again = await download(url, headers);
      assert.equal(again.status, name === 'the whole file' ? 200 : 206);
      assert.ok(again.complete);
    });
  }

  void it('an S3 answer cut mid-body closes the download short of its length', async () => {
    gate.cut(isRead, 200_000);
    let cut: Download;
    try {
      cut = await download(url);
    } finally {
      gate.release();
    }
    assert.equal(cut.status, 200);
    assert.equal(cut.headers['content-length'], String(SIZE));
    assert.equal(cut.complete, false, 'the connection was closed before the whole body');
    assert.ok(cut.body.length < SIZE, `${cut.body.length} bytes arrived`);
    assert.ok(content.subarray(0, cut.body.length).equals(cut.body), 'what arrived is the start of the file');
    const whole = await download(url);
    assert.equal(whole.status, 200);
    assert.ok(whole.complete && whole.body.equals(content), 'the next read is whole');
  });
});
