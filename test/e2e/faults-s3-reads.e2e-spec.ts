// S3 failing while a file is read (s3rver behind a proxy that cuts chosen answers short): an answer cut before its
// first byte is a 503 in PocketBase's envelope (the download's status isn't sent yet), one cut mid-body closes the
// download's connection short of its Content-Length (its 200 is already sent), and the next read is whole again.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { get, type IncomingHttpHeaders } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';

import {
  file,
  HttpClient,
  makeCollection,
  ManagedProcess,
  OPEN_RULES,
  startNestbase,
  TEST_CEILING_MS,
  tokenFor,
} from '@lib/testing';
import { startS3Gate, type S3Gate } from './support/s3-gate';
import { startS3, type TestS3 } from './support/s3-server';

const SU = { PB_ADMIN_EMAIL: 's3-read-fault-su@example.com', PB_ADMIN_PASSWORD: 'S3-Read-Fault-Superuser-Passw0rd' };
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
  const dir = mkdtempSync(join(tmpdir(), 'nb-s3-read-fault-'));
  const content = randomBytes(SIZE);
  let s3: TestS3;
  let gate: S3Gate;
  let server: ManagedProcess;
  let url = '';
  let stored = '';

  const isRead = (method: string, path: string) => method === 'GET' && path.includes(stored);

  before(async () => {
    s3 = await startS3();
    gate = await startS3Gate(s3.endpoint);
    server = await startNestbase(join(dir, 'pb_data'), [], { env: { ...SU, NB_BCRYPT_COST: '4' } });
    const http = new HttpClient(server.baseUrl);
    const su = await tokenFor(http, '_superusers', SU.PB_ADMIN_EMAIL, SU.PB_ADMIN_PASSWORD);
    const settings = await http.request('PATCH', '/api/settings', {
      token: su,
      body: { s3: { ...s3.settings, endpoint: gate.endpoint } },
    });
    assert.equal(settings.status, 200, settings.text);
    const docs = makeCollection({ name: 'docs', ...OPEN_RULES, fields: [file('doc', { maxSelect: 1 })] });
    const made = await http.request('POST', '/api/collections', { token: su, body: docs });
    assert.equal(made.status, 200, made.text);
    const form = new FormData();
    form.append('doc', new Blob([content], { type: 'application/octet-stream' }), 'data.bin');
    const created = await http.request('POST', '/api/collections/docs/records', { body: form });
    assert.equal(created.status, 200, created.text);
    const record = created.json<{ id: string; doc: string }>();
    stored = `/${record.id}/${record.doc}`;
    url = `${server.baseUrl}/api/files/docs${stored}`;
  });

  after(async () => {
    await server?.stop();
    await gate?.stop();
    await s3?.stop();
    rmSync(dir, { recursive: true, force: true });
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
