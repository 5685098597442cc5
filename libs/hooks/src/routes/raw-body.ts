import { Transform, type Readable } from 'node:stream';
import type { FastifyReply, FastifyRequest } from 'fastify';

/** The bytes of a custom route's body, as they came (kept beside the parsed body). */
const RAW = Symbol('raw body');

/** At most this much of a body is kept raw (PocketBase's `readerToString` reads 32 MiB by default). */
const RAW_LIMIT = 32 << 20;

type WithRaw = FastifyRequest & { [RAW]?: Buffer[] };

/**
 * A `preParsing` hook of the `routerAdd` routes: the body's bytes pass on to the parser and are kept, so
 * `e.request.body` can be read raw (a webhook's signature is over those bytes). Multipart bodies are read by the
 * multipart reader from the request itself and are not kept.
 */
export function keepRawBody(
  request: FastifyRequest,
  _reply: FastifyReply,
  payload: Readable,
  done: (error: Error | null, payload?: Readable) => void,
): void {
  if (String(request.headers['content-type'] ?? '').startsWith('multipart/')) {
    done(null, payload);
    return;
  }
  const chunks: Buffer[] = [];
  let size = 0;
  const tee = new Transform({
    transform(chunk: Buffer, _encoding, next) {
      if (size < RAW_LIMIT) {
        chunks.push(chunk);
        size += chunk.length;
      }
      next(null, chunk);
    },
  });
  (request as WithRaw)[RAW] = chunks;
  payload.on('error', (error) => tee.destroy(error));
  done(null, payload.pipe(tee));
}

/** The raw body `keepRawBody` kept (empty when there was none). */
export function rawBodyOf(request: FastifyRequest): Buffer {
  return Buffer.concat((request as WithRaw)[RAW] ?? []);
}
