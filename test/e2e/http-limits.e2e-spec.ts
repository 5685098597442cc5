// Limits Node's HTTP parser enforces before a request reaches any route, answered in PocketBase's envelope by
// every process (this file also runs through the gateway of the distributed set): request lines and headers up
// to 64 KiB are accepted (a long filter fits), larger ones are a 431; a malformed request is a 400.
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { after, before, describe, it } from 'node:test';

import { HttpClient, RunningServer, startTestServer } from '@lib/testing';

let server: RunningServer;

/** Sends `raw` on a new connection and gives everything the server wrote back before closing it. */
function rawRequest(raw: string): Promise<string> {
  const url = new URL(server.baseUrl);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(url.port), url.hostname, () => socket.end(raw));
    let got = '';
    socket.on('data', (chunk: Buffer) => (got += chunk.toString()));
    socket.on('error', (error: NodeJS.ErrnoException) => (error.code === 'ECONNRESET' ? resolve(got) : reject(error)));
    socket.on('close', () => resolve(got));
  });
}

function envelopeOf(response: string): unknown {
  return JSON.parse(response.slice(response.indexOf('\r\n\r\n') + 4));
}

void describe('HTTP limits before routing', () => {
  before(async () => {
    server = await startTestServer(process.env);
  });

  after(async () => {
    await server.stop();
  });

  void it('accepts a 40 KB query string', async () => {
    const res = await new HttpClient(server.baseUrl).request('GET', `/api/health?pad=${'a'.repeat(40_000)}`);
    assert.equal(res.status, 200, res.text);
  });

  void it('answers request headers past 64 KiB with a 431 in the envelope', async () => {
    const res = await fetch(`${server.baseUrl}/api/health?pad=${'a'.repeat(70_000)}`);
    assert.equal(res.status, 431);
    assert.deepEqual(await res.json(), {
      status: 431,
      message: 'The request line and headers are larger than 64 KiB.',
      data: {},
    });
  });

  void it('answers a malformed request with a 400 in the envelope', async () => {
    const response = await rawRequest('NOT AN HTTP REQUEST\r\n\r\n');
    assert.match(response, /^HTTP\/1\.1 400 /);
    assert.deepEqual(envelopeOf(response), { status: 400, message: 'Malformed HTTP request.', data: {} });
  });
});
