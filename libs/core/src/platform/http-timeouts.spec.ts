import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { describe, it } from 'node:test';

import type { HttpTimeouts } from '../config/app-config';
import { watchBodyRate } from './http-timeouts';

const TIMEOUTS: HttpTimeouts = {
  headersMs: 1000,
  requestMs: 1000,
  idleMs: 1000,
  keepAliveMs: 1000,
  bodyMinBytesPerSec: 1024,
  bodyWindowMs: 60_000,
};

/** A request with a body on `socket`, and its response. */
function exchange(socket: EventEmitter): { request: IncomingMessage; response: ServerResponse } {
  const request = Object.assign(new EventEmitter(), {
    socket,
    complete: false,
    headers: { 'content-length': '10' },
  }) as unknown as IncomingMessage;
  return { request, response: new EventEmitter() as unknown as ServerResponse };
}

const tick = () => new Promise<void>((resolve) => process.nextTick(resolve));

void describe('watchBodyRate', () => {
  void it('leaves no listener on a keep-alive socket once each response is done', async () => {
    const socket = Object.assign(new EventEmitter(), { bytesRead: 0, destroyed: false });
    for (let i = 0; i < 20; i++) {
      const { request, response } = exchange(socket);
      watchBodyRate(request, response, TIMEOUTS);
      await tick();
      assert.equal(socket.listenerCount('close'), 1);
      response.emit('finish');
      assert.equal(socket.listenerCount('close'), 0, `request ${i} left its listener on the socket`);
      assert.equal(response.listenerCount('finish'), 0);
    }
  });

  void it('stops watching when the socket closes first', async () => {
    const socket = Object.assign(new EventEmitter(), { bytesRead: 0, destroyed: false });
    const { request, response } = exchange(socket);
    watchBodyRate(request, response, TIMEOUTS);
    await tick();
    socket.emit('close');
    assert.equal(response.listenerCount('finish'), 0);
  });

  void it('sets no timer nor listener for a body complete once its first chunk is parsed', async () => {
    const socket = Object.assign(new EventEmitter(), { bytesRead: 0, destroyed: false });
    const { request, response } = exchange(socket);
    watchBodyRate(request, response, TIMEOUTS);
    (request as { complete: boolean }).complete = true;
    await tick();
    assert.equal(socket.listenerCount('close'), 0);
    assert.equal(response.listenerCount('finish'), 0);
  });
});
