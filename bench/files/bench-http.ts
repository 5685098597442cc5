// Small HTTP helpers for the files benchmark: JSON calls, timed downloads, a streamed multipart upload.
import * as http from 'node:http';
import { Readable } from 'node:stream';

export const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });

export function request(
  port: number,
  method: string,
  path: string,
  body?: unknown,
  token?: string,
): Promise<{ status: number; json: Record<string, unknown> }> {
  const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port,
        method,
        path,
        agent,
        headers: {
          ...(payload ? { 'content-type': 'application/json', 'content-length': payload.length } : {}),
          ...(token ? { authorization: token } : {}),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString();
          resolve({ status: res.statusCode ?? 0, json: text ? (JSON.parse(text) as Record<string, unknown>) : {} });
        });
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

/** GETs a URL and drains it; resolves with bytes received and elapsed ms. */
export function download(port: number, path: string): Promise<{ status: number; bytes: number; ms: number }> {
  const start = process.hrtime.bigint();
  return new Promise((resolve, reject) => {
    http
      .get({ host: '127.0.0.1', port, path, agent }, (res) => {
        let bytes = 0;
        res.on('data', (c: Buffer) => (bytes += c.length));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, bytes, ms: Number(process.hrtime.bigint() - start) / 1e6 }),
        );
      })
      .on('error', reject);
  });
}

/** Downloads `path` with `concurrency` loops for `seconds`; resolves with MB/s. */
export async function throughput(port: number, path: string, concurrency: number, seconds: number): Promise<number> {
  const until = Date.now() + seconds * 1000;
  let bytes = 0;
  const start = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (Date.now() < until) {
        const res = await download(port, path);
        if (res.status !== 200) {
          throw new Error(`GET ${path} → ${res.status}`);
        }
        bytes += res.bytes;
      }
    }),
  );
  const secs = Number(process.hrtime.bigint() - start) / 1e9;
  return bytes / 1024 / 1024 / secs;
}

/**
 * POSTs a multipart body with one generated file of `size` bytes, streamed in 64 KiB chunks
 * (the client holds one chunk at a time), and returns the response.
 */
export function uploadGenerated(
  port: number,
  path: string,
  field: string,
  size: number,
  token: string,
): Promise<{ status: number; json: Record<string, unknown> }> {
  const boundary = `----nestbench${Date.now()}`;
  const head = Buffer.from(
    `--${boundary}\r\ncontent-disposition: form-data; name="${field}"; filename="big.bin"\r\ncontent-type: application/octet-stream\r\n\r\n`,
  );
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  const chunk = Buffer.alloc(64 * 1024, 7);
  async function* body() {
    yield head;
    for (let sent = 0; sent < size; sent += chunk.length) {
      yield sent + chunk.length <= size ? chunk : chunk.subarray(0, size - sent);
    }
    yield tail;
  }
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port,
        method: 'POST',
        path,
        agent,
        headers: {
          authorization: token,
          'content-type': `multipart/form-data; boundary=${boundary}`,
          'content-length': head.length + size + tail.length,
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, json: JSON.parse(Buffer.concat(chunks).toString()) }),
        );
      },
    );
    req.on('error', reject);
    Readable.from(body()).pipe(req);
  });
}
