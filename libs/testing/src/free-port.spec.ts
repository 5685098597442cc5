import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';

import { freePort } from './free-port';

void describe('freePort', () => {
  void it('never picks a port fetch refuses (10080, on the Fetch standard bad-port list)', async (t) => {
    const low = Number(readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/)[0]);
    // the first pick lands on 10080, the next ones anywhere
    const draws = [(80 + 0.5) / (low - 10_000)];
    t.mock.method(Math, 'random', () => draws.shift() ?? 0.5);
    const port = await freePort();
    assert.notEqual(port, 10_080);
    await assert.rejects(
      fetch('http://127.0.0.1:10080/'),
      (error: Error) => (error.cause as Error | undefined)?.message === 'bad port',
      'fetch refuses the port without connecting',
    );
  });
});
