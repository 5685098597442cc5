import type { IncomingMessage, ServerOptions, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import type { HttpTimeouts } from '../config/app-config';

/** What Node's HTTP server needs for the header, total-request and keep-alive limits (Fastify passes it on). */
export function serverTimeoutOptions(timeouts: HttpTimeouts): ServerOptions {
  const checks = [timeouts.headersMs, timeouts.requestMs].filter((ms) => ms > 0);
  return {
    maxHeaderSize: MAX_HEADER_BYTES,
    headersTimeout: timeouts.headersMs,
    requestTimeout: timeouts.requestMs,
    keepAliveTimeout: timeouts.keepAliveMs,
    // Node checks the header and request deadlines on this interval (default 30 s): keep it below them.
    connectionsCheckingInterval: Math.max(50, Math.min(30_000, Math.floor(Math.min(...checks) / 4))),
  };
}

/**
 * The largest request line plus headers every process accepts (Node's default is 16 KiB): a long `filter` or
 * `expand` in the query string fits. Past it the client gets a 431 in PocketBase's envelope.
 */
export const MAX_HEADER_BYTES = 64 * 1024;

/** One raw HTTP response in PocketBase's envelope, for answers written to the socket before any routing. */
function rawEnvelope(status: number, reason: string, message: string): string {
  const body = JSON.stringify({ status, message, data: {} });
  return (
    `HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Type: application/json; charset=utf-8\r\n` +
    `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`
  );
}

const CLIENT_ERRORS: Record<string, string> = {
  HPE_HEADER_OVERFLOW: rawEnvelope(
    431,
    'Request Header Fields Too Large',
    `The request line and headers are larger than ${MAX_HEADER_BYTES / 1024} KiB.`,
  ),
  ERR_HTTP_REQUEST_TIMEOUT: rawEnvelope(408, 'Request Timeout', 'Request timeout.'),
};
const MALFORMED = rawEnvelope(400, 'Bad Request', 'Malformed HTTP request.');

/**
 * Fastify's `clientErrorHandler`: what Node's HTTP parser refuses before a request exists (headers too large,
 * a malformed request, a header timeout) answered in PocketBase's envelope, like every other error.
 */
export function clientErrorHandler(error: Error & { code?: string }, socket: Duplex): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) {
    return;
  }
  if (socket.writable) {
    socket.write(CLIENT_ERRORS[error.code ?? ''] ?? MALFORMED);
  }
  socket.destroy(error);
}

const TIMED_OUT = JSON.stringify({ status: 408, message: 'Request timeout.', data: {} });
const TIMED_OUT_RESPONSE =
  'HTTP/1.1 408 Request Timeout\r\nConnection: close\r\nContent-Type: application/json; charset=utf-8\r\n' +
  `Content-Length: ${Buffer.byteLength(TIMED_OUT)}\r\n\r\n${TIMED_OUT}`;

function hasBody(request: IncomingMessage): boolean {
  const length = request.headers['content-length'];
  return (length !== undefined && length !== '0') || request.headers['transfer-encoding'] !== undefined;
}

/**
 * Cuts a request whose body trickles in: every `bodyWindowMs` at least `bodyMinBytesPerSec × window` new bytes
 * must have arrived on the socket while the body is incomplete, else the client gets a 408 and the connection
 * closes. A large upload at a sane speed is never cut, however long it takes (Node's total `requestTimeout`
 * is the outer bound). One timer per request whose body is still coming once the bytes that brought its headers
 * are parsed; none for the others (a small body arrives with its headers, and a timer with two listeners per
 * create request cost more than parsing it).
 */
export function watchBodyRate(request: IncomingMessage, response: ServerResponse, timeouts: HttpTimeouts): void {
  if (timeouts.bodyMinBytesPerSec <= 0 || request.complete || !hasBody(request)) {
    return;
  }
  // Called while Node's parser runs on the chunk that ended the headers: the rest of that chunk (the whole body,
  // for a small one) is parsed before the next tick, where `complete` tells whether anything is still coming.
  process.nextTick(watchIfIncomplete, request, response, timeouts);
}

function watchIfIncomplete(request: IncomingMessage, response: ServerResponse, timeouts: HttpTimeouts): void {
  if (request.complete || request.socket.destroyed) {
    return;
  }
  const socket = request.socket;
  const needed = (timeouts.bodyMinBytesPerSec * timeouts.bodyWindowMs) / 1000;
  let seen = socket.bytesRead;
  // one keep-alive socket carries many requests: its listener goes with the request (it held the request's
  // objects for the socket's life, and warned of a listener leak after ten uploads on one connection)
  const stop = () => {
    clearInterval(timer);
    socket.off('close', stop);
    response.off('finish', stop);
  };
  const timer = setInterval(() => {
    if (request.complete || socket.destroyed) {
      stop();
      return;
    }
    const now = socket.bytesRead;
    if (now - seen >= needed) {
      seen = now;
      return;
    }
    stop();
    if (response.headersSent) {
      socket.destroy();
    } else {
      socket.end(TIMED_OUT_RESPONSE);
      socket.destroySoon();
    }
  }, timeouts.bodyWindowMs);
  timer.unref();
  response.once('finish', stop);
  socket.once('close', stop);
}
