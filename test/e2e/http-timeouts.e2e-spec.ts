// Header, body, idle and keep-alive timeouts with real sockets, on a standalone server and on a gateway in front
// of it, with small configured values so the test runs fast. Long-lived SSE and WebSocket connections outlive the
// idle timeout; a slow but steady upload outlives the body-rate window.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import * as net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';

import WebSocket from 'ws';

import { ManagedProcess, freePort, repoRoot, startNestbase, startProcess, waitForHealth } from '@lib/testing';

import { writeHooksDir } from './support/hooks-files';

const TIMEOUTS = {
  NB_HTTP_HEADERS_TIMEOUT_MS: '600',
  NB_HTTP_REQUEST_TIMEOUT_MS: '0',
  NB_HTTP_IDLE_TIMEOUT_MS: '800',
  NB_HTTP_KEEP_ALIVE_TIMEOUT_MS: '400',
  NB_HTTP_BODY_MIN_RATE: '100',
  NB_HTTP_BODY_RATE_WINDOW_MS: '500',
};
/** Well past every configured limit: a connection still open by then was not cut. */
const OUTLIVE_MS = 2500;

interface Probe {
  socket: net.Socket;
  received: () => string;
  /** Resolves with the ms from the probe's start to the close, or null when still open after `ms`. */
  closedWithin: (ms: number) => Promise<number | null>;
}

function probe(base: string): Promise<Probe> {
  const url = new URL(base);
  return new Promise((resolve, reject) => {
    const started = Date.now();
    let data = '';
    let closedAt = 0;
    const socket = net.connect(Number(url.port), url.hostname, () =>
      resolve({
        socket,
        received: () => data,
        closedWithin: (ms) =>
          new Promise((done) => {
            if (closedAt) {
              done(closedAt - started);
              return;
            }
            const timer = setTimeout(() => done(null), ms);
            socket.once('close', () => {
              clearTimeout(timer);
              done(Date.now() - started);
            });
          }),
      }),
    );
    socket.on('data', (chunk: Buffer) => (data += chunk.toString()));
    socket.on('close', () => (closedAt = Date.now()));
    socket.on('error', () => undefined);
    socket.once('error', reject);
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Writes `text` one character every `everyMs` while the socket is open (for at most `maxMs`). */
async function trickle(socket: net.Socket, text: string, everyMs: number, maxMs: number): Promise<void> {
  const end = Date.now() + maxMs;
  for (const ch of text) {
    if (socket.destroyed || Date.now() > end) {
      return;
    }
    socket.write(ch);
    await sleep(everyMs);
  }
}

function timeoutScenarios(name: string, base: () => string): void {
  // Each scenario has its own socket and mostly waits on the server's timers: they run at once.
  void describe(name, { concurrency: true }, () => {
    void it('closes a connection that sends nothing', async () => {
      const p = await probe(base());
      assert.notEqual(await p.closedWithin(OUTLIVE_MS), null, 'an idle socket must be closed');
    });

    void it('answers 408 and closes when the headers trickle in', async () => {
      const p = await probe(base());
      void trickle(
        p.socket,
        'GET /api/health HTTP/1.1\r\nHost: x\r\nX-Slow: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa',
        100,
        5000,
      );
      assert.notEqual(await p.closedWithin(OUTLIVE_MS), null, 'slow headers must be cut');
      assert.match(p.received(), /^HTTP\/1\.1 408/);
    });

    void it('answers 408 and closes when a body trickles in one byte at a time', async () => {
      const p = await probe(base());
      p.socket.write(
        'POST /api/collections/users/records HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 200\r\n\r\n',
      );
      void trickle(p.socket, '{"email":"' + 'a'.repeat(190), 200, 10_000);
      assert.notEqual(await p.closedWithin(OUTLIVE_MS), null, 'a trickling body must be cut');
      assert.match(p.received(), /^HTTP\/1\.1 408/);
      assert.match(p.received(), /"status":408/);
    });

    void it('closes an idle keep-alive connection after its response', async () => {
      const p = await probe(base());
      p.socket.write('GET /api/health HTTP/1.1\r\nHost: x\r\nConnection: keep-alive\r\n\r\n');
      assert.notEqual(await p.closedWithin(OUTLIVE_MS), null, 'an idle keep-alive connection must be closed');
      assert.match(p.received(), /^HTTP\/1\.1 200/);
    });

    void it('lets a slow but steady upload through, longer than every window', async () => {
      const p = await probe(base());
      const body = JSON.stringify({ email: 'not-an-email', pad: 'x'.repeat(6000) });
      p.socket.write(
        `POST /api/collections/users/records HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n`,
      );
      // 200 bytes every 100 ms = 2 KB/s for ~3 s: well above 100 B/s, longer than the idle and body windows.
      for (let i = 0; i < body.length; i += 200) {
        p.socket.write(body.slice(i, i + 200));
        await sleep(100);
      }
      await p.closedWithin(5000);
      assert.match(p.received(), /^HTTP\/1\.1 400/, p.received().slice(0, 200));
    });

    void it('does not cut a request whose handler takes longer than the idle timeout', async () => {
      const p = await probe(base());
      p.socket.write('GET /api/slow HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
      await p.closedWithin(10_000);
      assert.match(p.received(), /^HTTP\/1\.1 200/, p.received().slice(0, 200));
      assert.match(p.received(), /"slow":true/);
    });

    void it('keeps an SSE stream open past the idle timeout', async () => {
      const p = await probe(base());
      p.socket.write('GET /api/realtime HTTP/1.1\r\nHost: x\r\nAccept: text/event-stream\r\n\r\n');
      assert.equal(await p.closedWithin(OUTLIVE_MS), null, 'the SSE stream was cut');
      assert.match(p.received(), /PB_CONNECT/);
      p.socket.destroy();
    });

    void it('keeps a WebSocket open past the idle timeout', async () => {
      const ws = new WebSocket(`${base().replace('http', 'ws')}/api/realtime`);
      let closed = false;
      ws.on('close', () => (closed = true));
      ws.on('error', () => undefined);
      await new Promise((resolve, reject) => {
        ws.once('open', resolve);
        ws.once('error', reject);
      });
      await sleep(OUTLIVE_MS);
      assert.equal(closed, false, 'the WebSocket was cut');
      ws.close();
    });
  });
}

// The standalone server's scenarios and the gateway's at the same time: the file waits on timers, not the CPU.
void describe('HTTP timeouts', { timeout: 120_000, concurrency: true }, () => {
  let dir: string;
  let server: ManagedProcess | undefined;
  let gateway: ManagedProcess | undefined;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'nestbase-timeouts-'));
    const hooks = writeHooksDir({
      'slow.pb.js': `module.exports = (app) => {
        app.routerAdd('GET', '/api/slow', async () => {
          await new Promise((r) => setTimeout(r, ${OUTLIVE_MS}));
          return { slow: true };
        });
      };`,
    });
    server = await startNestbase(dir, [], { env: { ...TIMEOUTS, NB_HOOKS_DIR: hooks } });
    const port = await freePort();
    const upstream = server.baseUrl;
    gateway = startProcess([join(repoRoot(), 'bin', 'nestbase.js'), 'gateway', '--http', `127.0.0.1:${port}`], {
      env: {
        ...TIMEOUTS,
        NB_UPSTREAM_RECORDS: upstream,
        NB_UPSTREAM_AUTH: upstream,
        NB_UPSTREAM_FILES: upstream,
        NB_UPSTREAM_REALTIME: upstream,
      },
    });
    await waitForHealth(`http://127.0.0.1:${port}`, 30_000, gateway.child, () => gateway?.stderr() ?? '', '/readyz');
    gateway = Object.assign(gateway, { baseUrl: `http://127.0.0.1:${port}` });
  });

  after(async () => {
    await Promise.allSettled([gateway, server].filter((p) => p !== undefined).map((p) => p.stop()));
    rmSync(dir, { recursive: true, force: true });
  });

  timeoutScenarios('standalone', () => server?.baseUrl ?? '');
  timeoutScenarios('gateway', () => gateway?.baseUrl ?? '');
});
