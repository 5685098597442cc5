// The gateway's upstream hygiene against a stand-in service (a plain HTTP server on the records route): headers
// a message's `Connection` names are dropped both ways (RFC 9110 §7.6.1), and a service that never sends its
// response headers gets the client a 504 in the envelope after NB_UPSTREAM_RESPONSE_TIMEOUT_MS, not a hang; a
// body past the gateway's NB_BODY_LIMIT is streamed to the service, which decides.
import assert from 'node:assert/strict';
import { createServer, request, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import { after, before, describe, it } from 'node:test';

import { freePort, ManagedProcess, TEST_CEILING_MS } from '@lib/testing';

import { startGateway } from './support/gateway-process';

void describe('gateway upstream hygiene', { timeout: TEST_CEILING_MS }, () => {
  let service: Server;
  let gateway: ManagedProcess;
  let gatewayUrl = '';
  const hanging: ServerResponse[] = [];

  before(async () => {
    service = createServer((req, res) => {
      if (req.url === '/readyz') {
        res.end('{}');
      } else if (req.url === '/api/echo') {
        res.writeHead(200, {
          'content-type': 'application/json',
          connection: 'keep-alive, x-service-hop',
          'x-service-hop': 'must not reach the client',
          'x-service-kept': 'reaches the client',
        });
        res.end(JSON.stringify(req.headers satisfies IncomingHttpHeaders));
      } else if (req.url === '/api/size') {
        let bytes = 0;
        req.on('data', (chunk: Buffer) => (bytes += chunk.length));
        req.on('end', () => res.end(JSON.stringify({ bytes })));
      } else {
        hanging.push(res); // /api/hang: never answers
      }
    });
    const servicePort = await freePort();
    await new Promise<void>((resolve) => service.listen(servicePort, '127.0.0.1', resolve));
    const upstream = `http://127.0.0.1:${servicePort}`;
    gateway = await startGateway({
      NB_UPSTREAM_RECORDS: upstream,
      NB_UPSTREAM_AUTH: upstream,
      NB_UPSTREAM_FILES: upstream,
      NB_UPSTREAM_REALTIME: upstream,
      NB_UPSTREAM_RESPONSE_TIMEOUT_MS: '500',
      NB_BODY_LIMIT: '65536',
      NB_INTERNAL_SECRET: 'gateway-upstream-test',
    });
    gatewayUrl = gateway.baseUrl;
  });

  after(async () => {
    await gateway?.stop();
    hanging.forEach((res) => res.destroy());
    service?.closeAllConnections();
    await new Promise((resolve) => service?.close(resolve));
  });

  void it('streams a body over NB_BODY_LIMIT to the service, whose limits apply (backup uploads, big batches)', async () => {
    const body = Buffer.alloc(1024 * 1024, 'x');
    const res = await fetch(`${gatewayUrl}/api/size`, { method: 'POST', body });
    assert.equal(res.status, 200);
    assert.deepEqual(await res.json(), { bytes: body.length });
  });

  void it('drops the headers Connection names, in the request and in the response', async () => {
    // node:http, not fetch: fetch refuses to send a Connection header.
    const { status, headers, body } = await new Promise<{ status: number; headers: IncomingHttpHeaders; body: string }>(
      (resolve, reject) => {
        const req = request(`${gatewayUrl}/api/echo`, {
          headers: { connection: 'keep-alive, x-client-hop', 'x-client-hop': 'secret', 'x-client-kept': 'yes' },
        });
        req.on('response', (res) => {
          let text = '';
          res.on('data', (chunk: Buffer) => (text += chunk.toString()));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
        });
        req.on('error', reject);
        req.end();
      },
    );
    assert.equal(status, 200);
    const seen = JSON.parse(body) as IncomingHttpHeaders;
    assert.equal(seen['x-client-hop'], undefined, 'a header the client named in Connection reached the service');
    assert.equal(seen['x-client-kept'], 'yes');
    assert.equal(headers['x-service-hop'], undefined, 'a header the service named in Connection reached the client');
    assert.equal(headers['x-service-kept'], 'reaches the client');
  });

  void it('answers 504 in the envelope when the service sends no response headers in time', async () => {
    const res = await fetch(`${gatewayUrl}/api/hang`);
    assert.equal(res.status, 504);
    assert.deepEqual(await res.json(), {
      status: 504,
      message: 'The records service did not answer in time.',
      data: {},
    });
  });
});
