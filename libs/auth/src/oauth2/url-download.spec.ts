import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { downloadUrlFile, isLoopbackAddress, isPublicAddress } from './url-download';

const PNG = Buffer.concat([Buffer.from('89504e470d0a1a0a', 'hex'), Buffer.alloc(64, 1)]);

void describe('downloadUrlFile', () => {
  let server: Server;
  let base: string;
  let tmpDir: string;
  const local = { allowAddress: () => true };

  before(async () => {
    tmpDir = await mkdtemp(path.join(tmpdir(), 'nestbase-download-'));
    server = createServer((req, res) => {
      if (req.url === '/redirect') {
        res.writeHead(302, { location: '/img/me%20too.png' }).end();
      } else if (req.url === '/slow') {
        // Never answers: only the client's own timeout ends the download (the connection is closed in after()).
      } else if (req.url === '/missing') {
        res.writeHead(404).end();
      } else {
        res.writeHead(200, { 'content-type': 'text/plain' }).end(PNG);
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    await rm(tmpDir, { recursive: true, force: true });
  });

  void it('stores the body as an upload with a sniffed type, following redirects', async () => {
    const got = await downloadUrlFile(`${base}/redirect`, { ...local, tmpDir, field: 'avatar' });
    assert.equal(got.file.field, 'avatar');
    assert.equal(got.file.filename, 'me too.png');
    assert.equal(got.file.mimetype, 'image/png');
    assert.equal(got.file.size, PNG.length);
    assert.ok((await readFile(got.file.path)).equals(PNG));
    await got.dispose();
    assert.ok(!existsSync(got.file.path));
  });

  void it('refuses private addresses by default, literal or resolved', async () => {
    await assert.rejects(downloadUrlFile(`${base}/a.png`, { tmpDir, field: 'a' }), /Refused address/);
    const port = (server.address() as AddressInfo).port;
    await assert.rejects(downloadUrlFile(`http://localhost:${port}/a.png`, { tmpDir, field: 'a' }), /Refused/);
  });

  void it('fails on a non-2xx answer, a timeout, too many bytes, another scheme', async () => {
    await assert.rejects(downloadUrlFile(`${base}/missing`, { ...local, tmpDir, field: 'a' }), /status 404/);
    await assert.rejects(downloadUrlFile(`${base}/slow`, { ...local, tmpDir, field: 'a', timeoutMs: 200 }));
    await assert.rejects(downloadUrlFile(`${base}/a.png`, { ...local, tmpDir, field: 'a', maxBytes: 10 }), /larger/);
    await assert.rejects(downloadUrlFile('file:///etc/passwd', { ...local, tmpDir, field: 'a' }), /scheme/);
  });
});

void describe('isPublicAddress', () => {
  const cases: [string, boolean][] = [
    ['8.8.8.8', true],
    ['2606:4700::1111', true],
    ['127.0.0.1', false],
    ['10.1.2.3', false],
    ['172.20.0.1', false],
    ['192.168.1.1', false],
    ['169.254.169.254', false],
    ['100.64.0.1', false],
    ['0.0.0.0', false],
    ['::1', false],
    ['fd00::1', false],
    ['fe80::1', false],
    ['::ffff:127.0.0.1', false],
    ['not an ip', false],
  ];
  for (const [address, expected] of cases) {
    void it(`${address} → ${expected}`, () => assert.equal(isPublicAddress(address), expected));
  }
});

void describe('isLoopbackAddress', () => {
  const cases: [string, boolean][] = [
    ['127.0.0.1', true],
    ['127.8.9.10', true],
    ['::1', true],
    ['::ffff:127.0.0.1', true],
    ['10.0.0.1', false],
    ['169.254.169.254', false],
    ['192.168.0.1', false],
    ['fe80::1', false],
    ['8.8.8.8', false],
  ];
  for (const [address, expected] of cases) {
    void it(`${address} → ${expected}`, () => assert.equal(isLoopbackAddress(address), expected));
  }
});
