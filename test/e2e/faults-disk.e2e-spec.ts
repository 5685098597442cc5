// A full disk under the data directory (a small tmpfs; mounting one needs root, as CI runs): record writes and
// uploads are refused with a 507 in PocketBase's envelope while reads go on, the server stays up, no record
// points at a file that wasn't stored, and once there is room again every acknowledged write is there and
// `PRAGMA integrity_check` passes.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { after, before, describe, it } from 'node:test';

import Sqlite from 'better-sqlite3';

import {
  HttpClient,
  makeCollection,
  ManagedProcess,
  OPEN_RULES,
  startNestbase,
  TEST_CEILING_MS,
  text,
  tokenFor,
} from '@lib/testing';

const SU = { PB_ADMIN_EMAIL: 'disk-su@example.com', PB_ADMIN_PASSWORD: 'Disk-Superuser-Passw0rd' };
const isRoot = process.getuid?.() === 0;
const BODY = 'x'.repeat(60_000);

/**
 * Sends a 2 MB multipart upload on one raw connection in 64 KiB chunks, then a GET on the same connection: what
 * the server answered, how much of the upload it had been sent when it began to answer, and a socket error.
 */
async function uploadThenGet(
  baseUrl: string,
): Promise<{ text: string; answeredAt: number; total: number; error: string }> {
  const boundary = 'nbFullDiskBoundary';
  const body = Buffer.concat([
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="doc"; filename="big.bin"\r\n\r\n`),
    Buffer.alloc(2_000_000, 1),
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  const socket = connect(Number(new URL(baseUrl).port), '127.0.0.1');
  let text = '';
  let sent = 0;
  let answeredAt = -1;
  let error = '';
  socket.on('data', (chunk: Buffer) => {
    answeredAt = answeredAt < 0 ? sent : answeredAt;
    text += chunk.toString();
  });
  socket.on('error', (e: NodeJS.ErrnoException) => (error = e.code ?? e.message));
  const closed = new Promise((resolve) => socket.once('close', resolve));
  socket.write(
    `POST /api/collections/blobs/records HTTP/1.1\r\nHost: x\r\nContent-Length: ${body.length}\r\n` +
      `Content-Type: multipart/form-data; boundary=${boundary}\r\n\r\n`,
  );
  for (let i = 0; i < body.length && !socket.destroyed; i += 65_536) {
    // each chunk once the socket took the last one: the server reads at its pace
    await new Promise<void>((resolve) => socket.write(body.subarray(i, i + 65_536), () => resolve()));
    sent = Math.min(body.length, i + 65_536);
  }
  socket.write('GET /api/health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
  await closed;
  return { text, answeredAt, total: body.length, error };
}

void describe('a full disk', { timeout: TEST_CEILING_MS, skip: isRoot ? false : 'mounting a tmpfs needs root' }, () => {
  const mount = mkdtempSync(join(tmpdir(), 'nb-fulldisk-'));
  let server: ManagedProcess | undefined;
  let http: HttpClient;
  let su = '';
  const acked: string[] = [];

  /** A request; when the connection fails (a reset, EPIPE, the server gone) the failure shows the server's output. */
  const call = async (...args: Parameters<HttpClient['request']>) => {
    try {
      return await http.request(...args);
    } catch (error) {
      const cause =
        error instanceof Error && error.cause ? ` (${inspect(error.cause, { breakLength: Infinity })})` : '';
      const child = server?.child;
      const state =
        child && (child.exitCode !== null || child.signalCode !== null)
          ? `the server exited (code ${String(child.exitCode)}, signal ${String(child.signalCode)})`
          : 'the server is still running';
      return assert.fail(
        `${args[0]} ${args[1]}: ${String(error)}${cause}; ${state}\n--- server stderr\n${server?.stderr().slice(-6000)}` +
          `\n--- server stdout (tail)\n${server?.stdout().slice(-3000)}`,
      );
    }
  };

  before(async () => {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=12m', 'tmpfs', mount]);
    server = await startNestbase(join(mount, 'pb_data'), [], { env: { ...SU, NB_BCRYPT_COST: '4' } });
    http = new HttpClient(server.baseUrl);
    su = await tokenFor(http, '_superusers', SU.PB_ADMIN_EMAIL, SU.PB_ADMIN_PASSWORD);
    const blobs = makeCollection({
      name: 'blobs',
      ...OPEN_RULES,
      fields: [text('body', { max: 100_000 }), { name: 'doc', type: 'file', maxSelect: 1, maxSize: 5_000_000 }],
    });
    assert.equal((await http.request('POST', '/api/collections', { token: su, body: blobs })).status, 200);
  });

  after(async () => {
    await server?.stop();
    try {
      execFileSync('umount', [mount]);
    } catch {
      // not mounted (a failed start)
    }
    rmSync(mount, { recursive: true, force: true });
  });

  void it('refuses writes with a 507 while reads go on, and keeps every acknowledged write', async () => {
    let refused: { status: number; json: unknown } | undefined;
    for (let i = 0; i < 1000 && !refused; i++) {
      const res = await call('POST', '/api/collections/blobs/records', { body: { body: BODY } });
      if (res.status === 200) {
        acked.push(res.json<{ id: string }>().id);
      } else {
        refused = { status: res.status, json: res.json() };
      }
    }
    assert.ok(acked.length > 10, `some writes fit first (${acked.length})`);
    assert.deepEqual(refused, {
      status: 507,
      json: { status: 507, message: 'Not enough storage space on the server.', data: {} },
    });

    // an upload on the full disk: refused the same way, and no record points at it
    const form = new FormData();
    form.append('doc', new Blob([Buffer.alloc(2_000_000, 1)], { type: 'application/octet-stream' }), 'big.bin');
    const upload = await call('POST', '/api/collections/blobs/records', { body: form });
    assert.equal(upload.status, 507, upload.text);
    const withDoc = await call('GET', `/api/collections/blobs/records?filter=${encodeURIComponent("doc != ''")}`);
    assert.equal(withDoc.json<{ totalItems: number }>().totalItems, 0);

    // The upload fails part-way (the disk): the server reads the rest before it answers, so a client still
    // sending gets the 507 (no reset, no EPIPE) and the connection carries the next request.
    const raw = await uploadThenGet(server!.baseUrl);
    assert.equal(raw.error, '', `socket error: ${raw.text.slice(0, 300)}`);
    assert.equal(raw.answeredAt, raw.total, 'answered only once the whole upload was sent');
    assert.match(raw.text, /^HTTP\/1\.1 507 /);
    assert.doesNotMatch(raw.text.split('\r\n\r\n')[0], /connection: close/i);
    assert.match(raw.text, /HTTP\/1\.1 200 [^]*"API is healthy\."/);

    // reads still work, the server still answers
    const list = await call('GET', '/api/collections/blobs/records?perPage=1');
    assert.equal(list.status, 200, list.text);
    assert.equal((await call('GET', '/api/health')).status, 200);

    // room again: restart on a bigger disk, every acknowledged write is there, the database is intact
    await server!.stop();
    execFileSync('mount', ['-o', 'remount,size=64m', mount]);
    const db = new Sqlite(join(mount, 'pb_data', 'data.db'));
    try {
      assert.equal(db.pragma('integrity_check', { simple: true }), 'ok');
    } finally {
      db.close();
    }
    server = await startNestbase(join(mount, 'pb_data'), [], { env: { ...SU, NB_BCRYPT_COST: '4' } });
    http = new HttpClient(server.baseUrl);
    const all = await call('GET', '/api/collections/blobs/records?perPage=1000&fields=id');
    const stored = new Set(all.json<{ items: { id: string }[] }>().items.map((r) => r.id));
    assert.deepEqual(
      acked.filter((id) => !stored.has(id)),
      [],
      'every acknowledged write is stored',
    );
    const again = await call('POST', '/api/collections/blobs/records', { body: { body: 'fits now' } });
    assert.equal(again.status, 200, again.text);
  });
});
