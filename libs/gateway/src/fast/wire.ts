import type * as net from 'node:net';
import { copyRanges } from './head-bytes';
import type { RequestHead } from './request-head';
import type { ResponseHead } from './response-head';

/** Body bytes up to this size go out in the same buffer as the head (one write); larger bodies follow it. */
const COPY_LIMIT = 16 * 1024;
const STATUS_PREFIX = 'HTTP/1.1 ';

/** The lines the gateway ends every request head for a service with (then the blank line). */
export function forwardingLines(head: RequestHead, remote: string): string {
  const forwardedFor = head.forwardedFor.length > 0 ? `${head.forwardedFor.join(', ')}, ${remote}` : remote;
  return (
    `x-forwarded-for: ${forwardedFor}\r\nx-forwarded-proto: ${head.forwardedProto ?? 'http'}\r\n` +
    `x-forwarded-host: ${head.host}\r\n\r\n`
  );
}

/**
 * Sends a request to a service: the client's request line and kept header lines as they came, `lines`
 * (latin1, ending with the blank line), then the body read so far; one buffer and one write unless the body is
 * large. Returns what the last `write` returned.
 */
export function writeRequest(
  socket: net.Socket,
  head: RequestHead,
  lines: string,
  body: readonly Buffer[] | null,
  bodyBytes: number,
): boolean {
  const inline = bodyBytes <= COPY_LIMIT;
  const out = Buffer.allocUnsafe(head.keptBytes + lines.length + (inline ? bodyBytes : 0));
  let at = copyRanges(head.source, head.kept, out, 0);
  at += out.write(lines, at, 'latin1');
  if (inline && body) {
    for (const part of body) {
      at += part.copy(out, at);
    }
  }
  if (inline || !body) {
    return socket.write(out);
  }
  socket.cork();
  let full = socket.write(out);
  for (const part of body) {
    full = socket.write(part);
  }
  socket.uncork();
  return full;
}

/**
 * Sends the client a response head: `HTTP/1.1`, the service's status, reason and kept header lines, then
 * `lines` (latin1, ending with the blank line), and `chunk[start, end)` of the body in the same buffer when it
 * is small. Returns what the last `write` returned.
 */
export function writeResponseHead(
  socket: net.Socket,
  response: ResponseHead,
  lines: string,
  chunk: Buffer,
  start: number,
  end: number,
): boolean {
  const bodyBytes = end - start;
  const inline = bodyBytes <= COPY_LIMIT;
  const out = Buffer.allocUnsafe(STATUS_PREFIX.length + response.keptBytes + lines.length + (inline ? bodyBytes : 0));
  let at = out.write(STATUS_PREFIX, 0, 'latin1');
  at = copyRanges(response.source, response.kept, out, at);
  at += out.write(lines, at, 'latin1');
  if (inline) {
    chunk.copy(out, at, start, end);
    return socket.write(out);
  }
  socket.cork();
  socket.write(out);
  const full = socket.write(Buffer.from(chunk.subarray(start, end))); // a copy: `chunk` is read into again
  socket.uncork();
  return full;
}
