import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { ServiceUnavailableError } from '@lib/core';

import { guarded, retryReset } from './s3-unavailable';

const reset = (): Error => Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' });

/** A call that fails with each of `errors` in turn, then answers 'ok'; `calls` counts the tries. */
function failing(...errors: Error[]) {
  const state = { calls: 0 };
  const call = (): Promise<string> => {
    const error = errors[state.calls++];
    return error ? Promise.reject(error) : Promise.resolve('ok');
  };
  return { call, state };
}

void describe('S3 calls on a reset connection', () => {
  void it('an idempotent call is tried once more after a reset, and answers', async () => {
    const { call, state } = failing(reset());
    assert.equal(await guarded(call, true), 'ok');
    assert.equal(state.calls, 2);
    const list = failing(reset());
    assert.equal(await retryReset(list.call), 'ok');
  });

  void it('only once: a second reset is a 503', async () => {
    const { call, state } = failing(reset(), reset());
    await assert.rejects(guarded(call, true), ServiceUnavailableError);
    assert.equal(state.calls, 2);
  });

  void it('a write is not tried again (a 503), and other errors are not retried', async () => {
    const write = failing(reset());
    await assert.rejects(guarded(write.call), ServiceUnavailableError);
    assert.equal(write.state.calls, 1);
    const refused = failing(Object.assign(new Error('Access Denied'), { code: 'AccessDenied' }));
    await assert.rejects(retryReset(refused.call), /Access Denied/);
    assert.equal(refused.state.calls, 1);
  });
});
