// An HTTP proxy in front of the test S3 server that holds chosen requests until the test lets them through, or cuts
// chosen answers short: a storage that is slow, or fails mid-answer, exactly where a test wants it, without timers.
// Everything else passes straight on (the headers unchanged, so S3 signatures made for the proxy's host still match).
import { createServer, request, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface S3Gate {
  /** The proxy's URL: the `endpoint` of the S3 settings. */
  endpoint: string;
  /** From now on, requests for which `match(method, path)` is true wait for `release()`. */
  hold(match: (method: string, path: string) => boolean): void;
  /** How many requests are held now. */
  held(): number;
  /**
   * From now on, the answers to requests for which `match(method, path)` is true are cut: their status and headers
   * go through, then at most `afterBytes` bytes of the body, then the connection is closed (S3 failing mid-answer).
   */
  cut(match: (method: string, path: string) => boolean, afterBytes: number): void;
  /** Lets the held requests through; holds and cuts no more. */
  release(): void;
  stop(): Promise<void>;
}

export async function startS3Gate(target: string): Promise<S3Gate> {
  type Match = (method: string, path: string) => boolean;
  let match: Match | null = null;
  let cutting: { match: Match; afterBytes: number } | null = null;
  let waiting: (() => void)[] = [];
  const forward = (req: IncomingMessage, res: ServerResponse, cutAfter?: number): void => {
    const upstream = request(`${target}${req.url ?? '/'}`, { method: req.method, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      if (cutAfter === undefined) {
        answer.pipe(res);
        return;
      }
      let left = cutAfter;
      const close = () => {
        answer.destroy();
        res.socket?.end(); // what was written goes out, then the connection closes short of the Content-Length
      };
      res.flushHeaders();
      if (left === 0) {
        close();
        return;
      }
      answer.on('data', (chunk: Buffer) => {
        if (left > 0) {
          res.write(chunk.subarray(0, left));
          left -= Math.min(left, chunk.length);
          if (left === 0) {
            close();
          }
        }
      });
    });
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  };
  const server = createServer((req, res) => {
    const [method, path] = [req.method ?? 'GET', req.url ?? '/'];
    if (match?.(method, path)) {
      waiting.push(() => forward(req, res));
    } else {
      forward(req, res, cutting?.match(method, path) ? cutting.afterBytes : undefined);
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
    cut(m, afterBytes) {
      cutting = { match: m, afterBytes };
    },
    release() {
      match = null;
      cutting = null;
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
