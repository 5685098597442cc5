import { Readable } from 'node:stream';

/**
 * Waits for a stored file's stream to give its first chunk (or to end): a read that fails before its first byte
 * (S3 cut off after its answer's headers, a local file gone since its stat) rejects here, while the request can
 * still answer with an error status. The stream returned gives the same bytes; a failure later in it comes after the
 * download's status was sent and can only close its connection. A reply abandoned early stops the read.
 */
export async function started(stream: Readable): Promise<Readable> {
  const chunks = stream[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  const first = await chunks.next(); // the stream's error, if it fails first (the stream is then destroyed)
  async function* replay(): AsyncGenerator<Buffer> {
    try {
      if (!first.done) {
        yield first.value;
      }
      for (let next = await chunks.next(); !next.done; next = await chunks.next()) {
        yield next.value;
      }
    } finally {
      await chunks.return?.();
    }
  }
  return Readable.from(replay());
}
