// RedisCounter's clock windows (`hitAt` / `countAt`, the shared rate limits) on a real redis-server: a window
// ends when the caller's clock passes it, so a test clock moved forward closes it without waiting; Redis's
// expiry (real time) only removes the key.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { RedisCounter } from '@lib/jobs';
import { ManualClock } from '@lib/fakes';

import { RedisServer } from '../e2e/support/redis-server';

void describe('RedisCounter on a clock', () => {
  let redis: RedisServer | undefined;
  let counter: RedisCounter | undefined;

  before(async () => {
    redis = await RedisServer.start();
    counter = await RedisCounter.connect(redis.url, 'nbtest:clock:');
  });

  after(async () => {
    await counter?.close();
    await redis?.stop();
  });

  void it('counts hits in the window that opened with the first, until the clock passes its end', async () => {
    assert.ok(counter && redis);
    const clock = new ManualClock();
    assert.equal(await counter.countAt('a', clock.now()), 0);
    assert.equal(await counter.hitAt('a', 60_000, clock.now()), 1);
    clock.advance(59_000);
    assert.equal(await counter.hitAt('a', 60_000, clock.now()), 2);
    assert.equal(await counter.countAt('a', clock.now()), 2);
    clock.advance(1_000);
    assert.equal(await counter.countAt('a', clock.now()), 0, 'closed at its end');
    assert.equal(await counter.hitAt('a', 60_000, clock.now()), 1, 'the next hit opens a new window');
    const ttl = Number(await redis.cli('PTTL', 'nbtest:clock:a'));
    assert.ok(ttl > 0 && ttl <= 60_000, `Redis drops the key after the window (PTTL ${ttl})`);
  });

  void it('keeps keys apart and forgets a reset one', async () => {
    assert.ok(counter);
    const now = new ManualClock().now();
    await counter.hitAt('b', 60_000, now);
    await counter.hitAt('b', 60_000, now);
    await counter.hitAt('c', 60_000, now);
    assert.deepEqual([await counter.countAt('b', now), await counter.countAt('c', now)], [2, 1]);
    await counter.reset('b');
    assert.equal(await counter.countAt('b', now), 0);
  });
});
