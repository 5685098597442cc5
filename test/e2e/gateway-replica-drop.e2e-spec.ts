// A replica that drops the requests it has (a crash, a SIGKILL) costs each client at most the one request it had
// there: the gateway takes the replica out of rotation at the first dropped request, so the next requests go to the
// other replica, not onto the dead one's other kept-alive connections (whose close the gateway may not have read
// yet: the PostgreSQL set's burst-kill test once saw a writer lose two creates). A dropped POST is never sent again.
// Two stand-in records services in this process; one of them "dies": it keeps its connections open but drops every
// request that arrives on them, as a dying process does until the kernel has closed all of its sockets. Probes run
// every 10 minutes here, so only what the requests themselves show takes the replica out.
import assert from 'node:assert/strict';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, describe, it } from 'node:test';

import { ManagedProcess, TEST_CEILING_MS } from '@lib/testing';

import { startGateway } from './support/gateway-process';

interface StandIn {
  url: string;
  /** The ids (`x-write`) of the POSTs this service received. */
  received: string[];
  dying: boolean;
  server: Server;
}

async function standIn(): Promise<StandIn> {
  const service: StandIn = { url: '', received: [], dying: false, server: createServer() };
  service.server.on('request', (req, res) => {
    if (service.dying) {
      req.socket.destroy();
      return;
    }
    if (req.method === 'POST') {
      service.received.push(String(req.headers['x-write']));
    }
    req.resume();
    req.on('end', () => res.end('{}'));
  });
  await new Promise<void>((resolve) => service.server.listen(0, '127.0.0.1', resolve));
  service.url = `http://127.0.0.1:${(service.server.address() as AddressInfo).port}`;
  return service;
}

/** One POST through the gateway: by fetch (Content-Length: the gateway's fast path) or chunked (Node's path). */
function post(gateway: string, id: string, chunked: boolean): Promise<number> {
  if (!chunked) {
    const init = { method: 'POST', headers: { 'x-write': id, 'content-type': 'application/json' }, body: '{"n":1}' };
    return fetch(`${gateway}/api/collections/items/records`, init).then(async (res) => {
      await res.arrayBuffer();
      return res.status;
    });
  }
  return new Promise((resolve, reject) => {
    const req = request(`${gateway}/api/collections/items/records`, {
      method: 'POST',
      headers: { 'x-write': id, 'content-type': 'application/json', 'transfer-encoding': 'chunked' },
    });
    req.on('response', (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.write('{"n":');
    req.end('1}');
  });
}

void describe('gateway: a replica that drops requests', { timeout: TEST_CEILING_MS }, () => {
  const stops: (() => Promise<void>)[] = [];

  after(async () => {
    for (const stop of stops) {
      await stop();
    }
  });

  async function setUp(): Promise<{ gateway: ManagedProcess; dead: StandIn; live: StandIn }> {
    const [dead, live] = [await standIn(), await standIn()];
    const gateway = await startGateway({
      NB_UPSTREAM_RECORDS: `${dead.url},${live.url}`,
      NB_UPSTREAM_AUTH: live.url,
      NB_UPSTREAM_FILES: live.url,
      NB_UPSTREAM_REALTIME: live.url,
      NB_UPSTREAM_HEALTH_INTERVAL_MS: '600000',
      NB_INTERNAL_SECRET: 'gateway-replica-drop-test',
    });
    stops.push(async () => {
      await gateway.stop();
      for (const s of [dead, live]) {
        s.server.closeAllConnections();
        await new Promise((resolve) => s.server.close(resolve));
      }
    });
    return { gateway, dead, live };
  }

  for (const chunked of [false, true]) {
    void it(`a writer loses at most the one create it had on the dying replica (${chunked ? "Node's path" : 'fast path'})`, async () => {
      const { gateway, dead, live } = await setUp();
      // both replicas in use, with kept-alive connections to each
      await Promise.all(Array.from({ length: 8 }, (_, i) => post(gateway.baseUrl, `warm${i}`, chunked)));
      assert.ok(dead.received.length > 0 && live.received.length > 0, 'the gateway uses both replicas');
      dead.dying = true;
      const statuses: number[] = [];
      for (let i = 0; i < 12; i++) {
        statuses.push(await post(gateway.baseUrl, `w${i}`, chunked));
      }
      const failed = statuses.flatMap((status, i) => (status === 200 ? [] : [`w${i}: ${status}`]));
      assert.ok(failed.length <= 1, `at most the create sent to the dying replica fails: ${failed.join(', ')}`);
      assert.ok(
        failed.every((f) => f.endsWith(': 502')),
        failed.join(', '),
      );
      const sentTwice = failed.map((f) => f.split(':')[0]).filter((id) => live.received.includes(id));
      assert.deepEqual(sentTwice, [], 'a dropped create is never sent again');
      assert.equal(live.received.filter((id) => /^w\d+$/.test(id)).length, 12 - failed.length);
    });
  }
});
