// A connection cap (NB_MAX_CONNECTIONS) on a standalone server and on a gateway in front of it: idle clients
// that take every slot make the process close each connection past the cap as soon as it is accepted (no bytes,
// no crash), and once the idle timeout has dropped them a fresh client is answered again. Small configured
// values keep it fast.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import * as net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';

import { ManagedProcess, startNestbase } from '@lib/testing';

import { startGateway } from './support/gateway-process';

const CAP = 20;
const EXTRA = 10;
const IDLE_MS = 3000;
// a silent connection is dropped by the idle timeout on every process, the gateway's fast path included (the
// header timeout stays at its 20 s default)
const ENV = {
  NB_MAX_CONNECTIONS: String(CAP),
  NB_HTTP_IDLE_TIMEOUT_MS: String(IDLE_MS),
};

interface Held {
  socket: net.Socket;
  bytes: () => number;
  closed: () => boolean;
  /** Resolves with true once closed, false if still open after `ms`. */
  closesWithin: (ms: number) => Promise<boolean>;
}

function hold(base: string): Promise<Held> {
  const url = new URL(base);
  return new Promise((resolve, reject) => {
    let bytes = 0;
    let closed = false;
    const socket = net.connect(Number(url.port), url.hostname, () =>
      resolve({
        socket,
        bytes: () => bytes,
        closed: () => closed,
        closesWithin: (ms) =>
          closed
            ? Promise.resolve(true)
            : new Promise((done) => {
                const timer = setTimeout(() => done(false), ms);
                socket.once('close', () => {
                  clearTimeout(timer);
                  done(true);
                });
              }),
      }),
    );
    socket.on('data', (chunk: Buffer) => (bytes += chunk.length));
    socket.on('close', () => (closed = true));
    socket.on('error', () => undefined);
    socket.once('error', reject);
  });
}

/** One `GET /api/health` on a fresh raw connection: the status line, or '' when closed without an answer. */
function freshHealth(base: string): Promise<string> {
  const url = new URL(base);
  return new Promise((resolve) => {
    let text = '';
    const socket = net.connect(Number(url.port), url.hostname, () =>
      socket.write('GET /api/health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n'),
    );
    socket.on('data', (chunk: Buffer) => (text += chunk.toString()));
    socket.on('error', () => undefined);
    socket.on('close', () => resolve(text.split('\r\n')[0] ?? ''));
  });
}

function capScenario(name: string, base: () => string): void {
  void it(`${name}: refuses connections past the cap cleanly and answers again once idle ones are dropped`, async () => {
    const held: Held[] = [];
    try {
      for (let i = 0; i < CAP + EXTRA; i++) {
        held.push(await hold(base()));
      }
      // over-cap sockets are closed at once; those within the cap stay open until the idle timeout
      const quick = await Promise.all(held.map((h) => h.closesWithin(1000)));
      const refused = held.filter((_, i) => quick[i]);
      // other clients (the gateway's upstream links, this process's keep-alive sockets) may hold a few slots
      assert.ok(refused.length >= EXTRA, `${refused.length} of ${CAP + EXTRA} closed at once (cap ${CAP})`);
      assert.ok(refused.length <= EXTRA + CAP / 2, `${refused.length} refused: the cap is ${CAP}, not lower`);
      assert.deepEqual(
        refused.map((h) => h.bytes()),
        refused.map(() => 0),
        'a refused connection is closed without an answer',
      );
      assert.ok(!quick.slice(0, CAP / 2).some(Boolean), 'the first connections, within the cap, stay open');
      assert.equal(await freshHealth(base()), '', 'while the cap is full a new client is refused');

      // the idle timeout drops the held ones; then a fresh client is served
      const dropped = await Promise.all(held.map((h) => h.closesWithin(IDLE_MS * 3)));
      assert.ok(dropped.every(Boolean), 'every idle connection was dropped by the idle timeout');
      assert.match(await freshHealth(base()), /^HTTP\/1\.1 200/);
    } finally {
      held.forEach((h) => h.socket.destroy());
    }
  });
}

void describe('connection cap', { timeout: 60_000 }, () => {
  let dir = '';
  let server: ManagedProcess | undefined;
  let gateway: ManagedProcess | undefined;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'nb-conn-cap-'));
    server = await startNestbase(dir, [], { env: ENV });
    const upstream = server.baseUrl;
    gateway = await startGateway({
      ...ENV,
      NB_UPSTREAM_RECORDS: upstream,
      NB_UPSTREAM_AUTH: upstream,
      NB_UPSTREAM_FILES: upstream,
      NB_UPSTREAM_REALTIME: upstream,
    });
  });

  after(async () => {
    await Promise.allSettled([gateway, server].filter((p) => p !== undefined).map((p) => p.stop()));
    rmSync(dir, { recursive: true, force: true });
  });

  capScenario('standalone', () => server?.baseUrl ?? '');
  capScenario('gateway', () => gateway?.baseUrl ?? '');
});
