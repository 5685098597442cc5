// An HTTP request whose body is sent in two parts, so a test can act (e.g. signal the server)
// while the server is provably in the middle of handling it.
import { request as httpRequest } from 'node:http';

import { WAIT_CEILING_MS } from './ceilings';

export interface SlowRequest {
  /** Resolves once the headers and the first part of the body are written to the connection. */
  sent: Promise<void>;
  /** Sends the rest of the body. */
  finish(): void;
  /** The response; rejects on a network error or after the timeout. */
  response: Promise<{ status: number; text: string }>;
}

/** Starts `method url` with a JSON body and sends only its first `headBytes` characters. */
export function startSlowRequest(
  method: string,
  url: string,
  body: unknown,
  headers: Record<string, string> = {},
  headBytes = 10,
  timeoutMs = WAIT_CEILING_MS,
): SlowRequest {
  const payload = JSON.stringify(body);
  const req = httpRequest(url, {
    method,
    timeout: timeoutMs,
    headers: { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(payload)), ...headers },
  });
  const response = new Promise<{ status: number; text: string }>((resolve, reject) => {
    req.on('response', (res) => {
      let text = '';
      res.on('data', (chunk: Buffer) => (text += chunk.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.on('timeout', () => req.destroy(new Error(`${method} ${url} timed out after ${timeoutMs} ms`)));
  });
  const sent = new Promise<void>((resolve, reject) => {
    req.write(payload.slice(0, headBytes), (error) => (error ? reject(error) : resolve()));
  });
  sent.catch(() => undefined); // the failure surfaces through `response` too
  return { sent, finish: () => req.end(payload.slice(headBytes)), response };
}
