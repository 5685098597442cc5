import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { UpstreamPool } from './upstream-pool';

void describe('UpstreamPool', () => {
  void it('keeps an address ejected while a probe it answered before the ejection comes back', async () => {
    const held: ServerResponse[] = [];
    let hold = false;
    const server = createServer((_req, res) => (hold ? held.push(res) : res.end('{}')));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const pool = new UpstreamPool('records', [`http://127.0.0.1:${(server.address() as AddressInfo).port}`]);
      await pool.refresh();
      const [address] = pool.list();
      assert.equal(address.healthy, true);

      hold = true;
      const round = pool.refresh();
      while (held.length === 0) {
        await new Promise((resolve) => setImmediate(resolve));
      }
      pool.eject(address); // a request the address dropped, while its probe is under way
      held[0].end('{}'); // the probe's 200, from before the ejection
      await round;
      assert.equal(address.healthy, false, 'still ejected');

      hold = false;
      await pool.refresh(); // a probe started after the ejection brings it back
      assert.equal(address.healthy, true);
    } finally {
      held.forEach((res) => res.destroy());
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
