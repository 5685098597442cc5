// Backpressure: a client that stops reading (a raw socket paused after the handshake) never delays the
// others, and once its unsent buffer passes the bound (4 MiB) the server drops it, on SSE and on WebSocket.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { Socket, connect } from 'node:net';
import { after, before, describe, it } from 'node:test';

import WebSocket from 'ws';

import {
  HttpClient,
  OPEN_RULES,
  RunningServer,
  ScenarioContext,
  startTestServer,
  TEST_CEILING_MS,
  tokenFor,
} from '@lib/testing';

import { Collector, RealtimeMessage, WAIT_CEILING_MS, waitUntil } from './support/realtime-helpers';

// 24 MB fill the kernel buffers of one loopback connection and pass the server's 4 MiB bound. Behind a
// gateway (NB_TEST_BASE_URL) the stalled client sits at the end of two connections, whose buffers hold as
// much again before the server sees the backlog.
const EVENTS = process.env.NB_TEST_BASE_URL ? 64 : 24;
const BODY = 'x'.repeat(1_000_000);
const TIMEOUT = { timeout: TEST_CEILING_MS };

let server: RunningServer | undefined;
let t: ScenarioContext;
const sockets: Socket[] = [];
const webSockets: WebSocket[] = [];

/** A raw connection that sends `request`, reads until `ready` matches what came back, then stops reading. */
async function stalled(request: string, ready: RegExp): Promise<{ socket: Socket; head: string }> {
  assert.ok(server);
  const url = new URL(server.baseUrl);
  const socket = connect(Number(url.port), url.hostname);
  sockets.push(socket);
  let head = '';
  socket.on('data', (chunk: Buffer) => (head += chunk.toString('latin1')));
  socket.write(request);
  await waitUntil(() => ready.test(head), `the handshake (${head.slice(0, 200)})`);
  socket.removeAllListeners('data');
  socket.pause();
  return { socket, head };
}

/** Resumes a stalled socket and resolves true once the server closed it (false after `ms`). */
function closedByServer(socket: Socket, ms: number): Promise<boolean> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), ms);
    socket.on('error', () => undefined);
    socket.once('close', () => {
      clearTimeout(timer);
      resolve(true);
    });
    socket.on('data', () => undefined);
    socket.resume();
  });
}

void describe('realtime backpressure', () => {
  before(async () => {
    server = await startTestServer(process.env);
    const http = new HttpClient(server.baseUrl);
    t = new ScenarioContext(http, await tokenFor(http, '_superusers', server.superuserEmail, server.superuserPassword));
    await t.createCollection({ name: 'big', ...OPEN_RULES, fields: [{ name: 'body', type: 'editor' }] });
  });

  after(async () => {
    sockets.forEach((s) => s.destroy());
    webSockets.forEach((s) => s.terminate());
    await server?.stop();
  });

  void it(
    'a stalled WebSocket and a stalled SSE stream are dropped; a reading client gets every event',
    TIMEOUT,
    async () => {
      assert.ok(server);
      const host = new URL(server.baseUrl).host;
      const key = randomBytes(16).toString('base64');
      const ws = await stalled(
        `GET /api/realtime HTTP/1.1\r\nHost: ${host}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
          `Sec-WebSocket-Key: ${key}\r\nSec-WebSocket-Version: 13\r\n\r\n`,
        /"type":"connected"/,
      );
      assert.match(ws.head, /^HTTP\/1\.1 101/);
      const sse = await stalled(`GET /api/realtime HTTP/1.1\r\nHost: ${host}\r\n\r\n`, /"clientId":"\w+"/);
      const clientId = /"clientId":"(\w+)"/.exec(sse.head)![1];
      const posted = await t.http.request('POST', '/api/realtime', {
        body: { clientId, subscriptions: [`${t.col('big')}/*`] },
      });
      assert.equal(posted.status, 204, posted.text);

      const reader = new WebSocket(`${server.baseUrl.replace('http', 'ws')}/api/realtime`);
      webSockets.push(reader);
      const got = new Collector();
      // A WebSocket with no subscription gets every collection's events (the tutorial's protocol): on a shared
      // deployment other files' records too, so only this file's collection counts.
      reader.on('message', (data: Buffer) => {
        const body = JSON.parse(data.toString()) as { type?: string; record?: { collectionName?: string } };
        if (!body.type && body.record?.collectionName === t.col('big')) {
          got.push(body as unknown as RealtimeMessage);
        }
      });
      await new Promise((resolve) => reader.once('open', resolve));

      const ids: string[] = [];
      for (let i = 0; i < EVENTS; i++) {
        ids.push((await t.createRecord('big', { body: BODY })).id);
        // the reading client keeps pace with the writer while the two others stall
        await got.find((m) => m.record.id === ids[i], `event ${i} on the reading client`);
      }
      const seen = got.items.map((m) => String(m.record.id));
      const repeated = seen.filter((id, i) => seen.indexOf(id) !== i);
      assert.deepEqual(
        seen,
        ids,
        `every event once, in order: ${seen.length} events for ${ids.length} records, repeated ${JSON.stringify(repeated)}`,
      );
      const [wsClosed, sseClosed] = await Promise.all([
        closedByServer(ws.socket, WAIT_CEILING_MS),
        closedByServer(sse.socket, WAIT_CEILING_MS),
      ]);
      assert.deepEqual({ wsClosed, sseClosed }, { wsClosed: true, sseClosed: true });
      reader.terminate();
    },
  );
});
