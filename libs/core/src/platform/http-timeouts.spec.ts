import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { describe, it } from 'node:test';

import { watchBodyRate } from './http-timeouts';

const TIMEOUTS = {
  headersMs: 20_000,
  requestMs: 600_000,
  idleMs: 60_000,
  keepAliveMs: 72_000,
  bodyMinBytesPerSec: 1024,
  bodyWindowMs: 15_000,
};

void describe('watchBodyRate', () => {
  void it('leaves no listener on a keep-alive socket once each request has finished', () => {
    const socket = Object.assign(new EventEmitter(), { bytesRead: 0, destroyed: false });
    for (let i = 0; i < 50; i++) {
      const request = { complete: false, socket, headers: { 'content-length': '10' } } as unknown as IncomingMessage;
      const response = new EventEmitter() as unknown as ServerResponse;
      watchBodyRate(request, response, TIMEOUTS);
      assert.equal(socket.listenerCount('close'), 1, 'one request at a time watches the socket');
      response.emit('finish');
      assert.equal(response.listenerCount('finish'), 0);
    }
    assert.equal(socket.listenerCount('close'), 0);
  });
});
