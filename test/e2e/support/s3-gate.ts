// An HTTP proxy in front of the test S3 server that holds chosen requests until the test lets them through: a
// storage that is slow exactly where a test wants it, without timers. Everything else passes straight on (the
// headers unchanged, so S3 signatures made for the proxy's host still match).
import { createServer, request, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface S3Gate {
  /** The proxy's URL: the `endpoint` of the S3 settings. */
  endpoint: string;
  /** From now on, requests for which `match(method, path)` is true wait for `release()`. */
  hold(match: (method: string, path: string) => boolean): void;
  /** How many requests are held now. */
  held(): number;
  /** Lets the held requests through and holds no more. */
  release(): void;
  stop(): Promise<void>;
}

export async function startS3Gate(target: string): Promise<S3Gate> {
  let match: ((method: string, path: string) => boolean) | null = null;
  let waiting: (() => void)[] = [];
  const forward = (req: IncomingMessage, res: ServerResponse): void => {
    const upstream = request(`${target}${req.url ?? '/'}`, { method: req.method, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  };
  const server = createServer((req, res) => {
    if (match?.(req.method ?? 'GET', req.url ?? '/')) {
      waiting.push(() => forward(req, res));
    } else {
      forward(req, res);
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const gate: S3Gate = {
    endpoint: `http://127.0.0.1:${port}`,
    hold(m) {
      match = m;
    },
    held: () => waiting.length,
    release() {
      match = null;
      const go = waiting;
      waiting = [];
      go.forEach((next) => next());
    },
    async stop() {
      gate.release();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  return gate;
}
