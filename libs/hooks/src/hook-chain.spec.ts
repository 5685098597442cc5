import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ApiError } from '@lib/core';
import { hookError, runChain, type Chained } from './hook-chain';

interface Ev extends Chained {
  log: string[];
}

const event = (): Ev => ({ log: [], next: async () => undefined });

void describe('runChain', () => {
  void it('runs code before e.next() before the operation and code after it after', async () => {
    const e = event();
    const reached = await runChain<Ev>(
      [
        async (ev) => {
          ev.log.push('a:before');
          await ev.next();
          ev.log.push('a:after');
        },
        async (ev) => {
          ev.log.push('b:before');
          await ev.next();
          ev.log.push('b:after');
        },
      ],
      e,
      async () => {
        e.log.push('op');
      },
    );
    assert.equal(reached, true);
    assert.deepEqual(e.log, ['a:before', 'b:before', 'op', 'b:after', 'a:after']);
  });

  void it('stops when a handler returns without e.next(), unless autoNext', async () => {
    const e = event();
    assert.equal(await runChain<Ev>([() => undefined], e, async () => void e.log.push('op')), false);
    assert.deepEqual(e.log, []);
    assert.equal(await runChain<Ev>([() => undefined], e, async () => void e.log.push('op'), true), true);
    assert.deepEqual(e.log, ['op']);
  });

  void it('turns hook errors into 400s and keeps the operation’s own errors', async () => {
    await assert.rejects(
      runChain<Ev>([() => Promise.reject(new Error('nope'))], event(), async () => undefined),
      (error: unknown) => error instanceof ApiError && error.status === 400 && error.message === 'nope',
    );
    const own = new Error('database down');
    await assert.rejects(
      runChain<Ev>([(ev) => ev.next()], event(), () => Promise.reject(own)),
      (error: unknown) => error === own,
    );
  });

  void it('keeps the status of typed errors', () => {
    assert.equal(hookError(new ApiError(403, 'no')).status, 403);
    assert.equal(hookError(Object.assign(new Error('teapot'), { status: 418 })).status, 418);
    assert.equal(hookError(Object.assign(new Error('odd'), { status: 200 })).status, 400);
    assert.equal(hookError('plain string').message, 'plain string');
  });
});
