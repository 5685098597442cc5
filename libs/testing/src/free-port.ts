// Free ports for the servers tests start.
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';

/**
 * A port that was free a moment ago, picked below the kernel's ephemeral range where one is known: a port from
 * that range (what listening on port 0 gives) can be taken by the local end of any outgoing connection between
 * this check and the server's bind — seen at load 27 as `EADDRINUSE` in a test server's start. Never one `fetch`
 * refuses to connect to.
 */
export async function freePort(): Promise<number> {
  const low = ephemeralLow();
  if (low !== undefined && low > MIN_PICKED_PORT + 1000) {
    for (let attempt = 0; attempt < 50; attempt++) {
      const port = MIN_PICKED_PORT + Math.floor(Math.random() * (low - MIN_PICKED_PORT));
      if (!FETCH_BLOCKED.has(port) && (await listenOnce(port)) === port) {
        return port;
      }
    }
  }
  return listenOnce(0);
}

const MIN_PICKED_PORT = 10_000;
/**
 * The ports of the Fetch standard's "bad port" list in the picked range: `fetch` refuses them ("bad port") without
 * connecting, so a server there looks dead to every test (a realtime service on 10080 failed a run's health wait).
 */
const FETCH_BLOCKED = new Set([10_080]);

function ephemeralLow(): number | undefined {
  try {
    const low = Number(readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/)[0]);
    return Number.isInteger(low) ? low : undefined;
  } catch {
    return undefined;
  }
}

/** Listens on `port` (0: any) on 127.0.0.1 and closes: the port it got, or 0 when that port was taken. */
function listenOnce(port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', (err: NodeJS.ErrnoException) => (port !== 0 ? resolve(0) : reject(err)));
    srv.listen(port, '127.0.0.1', () => {
      const address = srv.address();
      const got = typeof address === 'object' && address !== null ? address.port : 0;
      srv.close(() => resolve(got));
    });
  });
}
