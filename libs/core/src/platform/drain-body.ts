import type { IncomingMessage } from 'node:http';

/**
 * Reads and discards what is left of a request body whose reading failed part-way (a full disk under an upload,
 * a malformed part), up to `limit` bytes: the client, still sending, then gets the error answer on a connection
 * it can go on using, instead of a reset (EPIPE) that loses the answer. Resolves true once the body has ended;
 * false when it was cut short (the client went away, more than `limit` left): then the connection must close.
 */
export function drainBody(raw: IncomingMessage, limit: number): Promise<boolean> {
  if (raw.complete) {
    return Promise.resolve(true);
  }
  if (raw.destroyed) {
    return Promise.resolve(false);
  }
  return new Promise((resolve) => {
    let left = limit;
    const finish = (ended: boolean) => {
      raw.off('data', onData);
      raw.off('end', onEnd);
      raw.off('close', onClose);
      raw.off('error', onClose);
      if (!ended) {
        raw.pause();
      }
      resolve(ended);
    };
    const onData = (chunk: Buffer) => {
      left -= chunk.length;
      if (left < 0) {
        finish(false);
      }
    };
    const onEnd = () => finish(true);
    const onClose = () => finish(raw.complete);
    // The multipart parser stops reading after a failure: take the body away from it.
    raw.unpipe();
    raw.on('data', onData);
    raw.once('end', onEnd);
    raw.once('close', onClose);
    raw.once('error', onClose);
    raw.resume();
  });
}
