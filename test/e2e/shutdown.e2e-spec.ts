// Shutdown: a request in flight when SIGTERM arrives completes; one arriving while the server closes gets the envelope.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';

import {
  HttpClient,
  ManagedProcess,
  OPEN_RULES,
  startNestbase,
  startSlowRequest,
  TEST_CEILING_MS,
  text,
  tokenFor,
  uniqueEmail,
  waitFor,
} from '@lib/testing';

const PASSWORD = 'Shutdown-Passw0rd-1';
const TIMEOUT = { timeout: TEST_CEILING_MS };
const dirs: string[] = [];

async function serve(env: Record<string, string> = {}): Promise<ManagedProcess> {
  const dir = await mkdtemp(join(tmpdir(), 'nestbase-shutdown-'));
  dirs.push(dir);
  return startNestbase(dir, [], { env });
}

/** Whether a new TCP connection to `port` on 127.0.0.1 is refused (the listener closed). */
function refused(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => resolve(true));
  });
}

void describe('shutdown (SIGTERM)', () => {
  after(async () => {
    await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
  });

  void it('a request in flight when SIGTERM arrives still completes', TIMEOUT, async () => {
    const email = uniqueEmail('env');
    const proc = await serve({ PB_ADMIN_EMAIL: email, PB_ADMIN_PASSWORD: PASSWORD });
    try {
      const http = new HttpClient(proc.baseUrl);
      const token = await tokenFor(http, '_superusers', email, PASSWORD);
      const col = await http.request('POST', '/api/collections', {
        token,
        body: { name: 'notes', ...OPEN_RULES, fields: [text('title')] },
      });
      assert.equal(col.status, 200, col.text);

      // Send part of the body, then SIGTERM, then the rest: the server is mid-request throughout.
      const url = `${proc.baseUrl}/api/collections/notes/records`;
      const slow = startSlowRequest('POST', url, { title: 'written during shutdown' }, { authorization: token });
      // Accepted and read in order: once a request sent after its head is answered, the slow one is in the server.
      await slow.sent;
      assert.equal((await http.request('GET', '/api/health')).status, 200);
      const stopped = proc.stop('SIGTERM', 15_000);
      // Shutting down: the listener is closed (a new connection is refused) while the slow request is open.
      const port = Number(new URL(proc.baseUrl).port);
      await waitFor(() => refused(port), 'the server to stop accepting connections');
      slow.finish();
      const res = await slow.response;
      assert.equal(res.status, 200, res.text);
      assert.equal((JSON.parse(res.text) as { title?: string }).title, 'written during shutdown');
      const exit = await stopped;
      assert.equal(exit.code, 0, `exit ${String(exit.code)} (signal ${String(exit.signal)})\n${exit.stderr}`);
    } finally {
      proc.kill();
    }
  });

  void it(
    'a request that arrives while shutting down gets a 503 in the envelope, not the framework body',
    TIMEOUT,
    async () => {
      const proc = await serve();
      const socket = connect(Number(new URL(proc.baseUrl).port), '127.0.0.1');
      try {
        let received = '';
        const ended = new Promise<void>((resolve) => socket.on('close', () => resolve()));
        socket.on('data', (chunk: Buffer) => (received += chunk.toString('latin1')));
        const body = JSON.stringify({ identity: 'nobody@example.com', password: 'not-this-one' });
        const head =
          'POST /api/collections/users/auth-with-password HTTP/1.1\r\nHost: x\r\n' +
          `Content-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n`;
        await new Promise<void>((resolve) => socket.write(head + body.slice(0, 5), () => resolve()));
        // Read in order: once a request sent after this head is answered, the server is inside the first one.
        assert.equal((await new HttpClient(proc.baseUrl).request('GET', '/api/health')).status, 200);
        const stopped = proc.stop('SIGTERM', 15_000);
        await waitFor(() => refused(Number(new URL(proc.baseUrl).port)), 'the server to stop accepting connections');
        // The rest of the body and a second request behind it on the same connection: it arrives while closing.
        socket.write(`${body.slice(5)}GET /api/health HTTP/1.1\r\nHost: x\r\n\r\n`);
        await ended;
        const answers = received.split(/(?=HTTP\/1\.1 \d{3} )/);
        assert.equal(answers.length, 2, received);
        assert.match(answers[0], /^HTTP\/1\.1 400 /, received);
        assert.match(answers[1], /^HTTP\/1\.1 503 /, received);
        const envelope = JSON.parse(answers[1].slice(answers[1].indexOf('\r\n\r\n') + 4)) as Record<string, unknown>;
        assert.deepEqual(Object.keys(envelope).sort(), ['data', 'message', 'status']);
        assert.equal(envelope.status, 503);
        assert.equal((await stopped).code, 0);
      } finally {
        socket.destroy();
        proc.kill();
      }
    },
  );
});
