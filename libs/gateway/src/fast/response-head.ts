import { connectionTokens, HOP_BY_HOP } from './request-head';

const STATUS_LINE = /^HTTP\/1\.([01]) (\d{3})(?: ([^\r\n]*))?$/;
// A service's header line, passed on as it came: no control characters but HTAB (no response splitting).
// eslint-disable-next-line no-control-regex -- refusing control characters is the point
const HEADER_LINE = /^([!#$%&'*+.^_`|~0-9A-Za-z-]+):[ \t]*([^\x00-\x08\x0a-\x1f\x7f]*?)[ \t]*$/;
const KEEP_ALIVE_TIMEOUT = /timeout=(\d+)/i;

/** How the body of a response ends. */
export type Framing = 'none' | 'length' | 'chunked' | 'close';

export interface ResponseHead {
  status: number;
  reason: string;
  /** The service's header lines for the client (hop-by-hop, CORS and Vary dropped), each ending in CRLF. */
  forwarded: string;
  framing: Framing;
  contentLength: number;
  /** The service will close this connection after the response. */
  close: boolean;
  /** The service's `Keep-Alive: timeout=` in seconds, or -1. */
  keepAliveSeconds: number;
  eventStream: boolean;
}

/**
 * Parses a service's response head (the bytes before the blank line, as latin1); null when it isn't one the
 * gateway can pass on (the service is then treated as failed). `head` is true for an answer to HEAD.
 */
export function parseResponseHead(text: string, head: boolean): ResponseHead | null {
  const lines = text.split('\r\n');
  const status = STATUS_LINE.exec(lines[0]);
  if (!status) {
    return null;
  }
  const code = Number(status[2]);
  const names: string[] = [];
  let contentLength = -1;
  let chunked = false;
  let connection = '';
  let keepAliveSeconds = -1;
  let eventStream = false;
  for (let i = 1; i < lines.length; i++) {
    const header = HEADER_LINE.exec(lines[i]);
    if (!header) {
      return null;
    }
    const name = header[1].toLowerCase();
    const value = header[2];
    if (name === 'content-length') {
      if (contentLength !== -1 && Number(value) !== contentLength) {
        return null;
      }
      contentLength = Number(value);
      if (!Number.isSafeInteger(contentLength) || contentLength < 0) {
        return null;
      }
    } else if (name === 'transfer-encoding') {
      if (value.toLowerCase() !== 'chunked') {
        return null;
      }
      chunked = true;
    } else if (name === 'connection') {
      connection = connection ? `${connection},${value}` : value;
    } else if (name === 'keep-alive') {
      const match = KEEP_ALIVE_TIMEOUT.exec(value);
      keepAliveSeconds = match ? Number(match[1]) : keepAliveSeconds;
    } else if (name === 'content-type') {
      eventStream = value.startsWith('text/event-stream');
    }
    names.push(name);
  }
  const named = connection ? connectionTokens(connection) : [];
  let forwarded = '';
  for (let i = 0; i < names.length; i++) {
    const name = names[i];
    if (
      !HOP_BY_HOP.has(name) &&
      name !== 'vary' &&
      !name.startsWith('access-control-') &&
      (named.length === 0 || !named.includes(name))
    ) {
      forwarded += `${lines[i + 1]}\r\n`;
    }
  }
  const bodiless = head || code < 200 || code === 204 || code === 304;
  const framing: Framing = bodiless ? 'none' : chunked ? 'chunked' : contentLength >= 0 ? 'length' : 'close';
  return {
    status: code,
    reason: status[3] ?? '',
    forwarded,
    framing,
    contentLength: Math.max(0, contentLength),
    close: named.includes('close') || (status[1] === '0' && !named.includes('keep-alive')) || framing === 'close',
    keepAliveSeconds,
    eventStream,
  };
}

const SIZE = 0;
const DATA = 1;
const TRAILER = 2;
const HEX = /^[0-9a-fA-F]{1,12}$/;

/**
 * Finds where a chunked body ends in the bytes passing through (they are forwarded as they are: the client
 * is spoken to in HTTP/1.1 too). Throws on a malformed chunk size.
 */
export class ChunkedTracker {
  private state = SIZE;
  private remaining = 0;
  private line = '';

  /** The index in `chunk` just past the body's end, or -1 while it hasn't ended. */
  feed(chunk: Buffer, start = 0): number {
    let pos = start;
    while (pos < chunk.length) {
      if (this.state === DATA) {
        const take = Math.min(this.remaining, chunk.length - pos);
        pos += take;
        this.remaining -= take;
        if (this.remaining === 0) {
          this.state = SIZE;
        }
        continue;
      }
      const newline = chunk.indexOf(10, pos);
      const end = newline === -1 ? chunk.length : newline;
      this.line += chunk.toString('latin1', pos, end);
      if (this.line.length > 4096) {
        throw new Error('chunk line too long');
      }
      pos = end + 1;
      if (newline === -1) {
        break;
      }
      const line = this.line.endsWith('\r') ? this.line.slice(0, -1) : this.line;
      this.line = '';
      if (this.state === TRAILER) {
        if (line === '') {
          return pos;
        }
        continue;
      }
      const size = line.split(';', 1)[0].trim();
      if (!HEX.test(size)) {
        throw new Error('malformed chunk size');
      }
      const bytes = parseInt(size, 16);
      if (bytes === 0) {
        this.state = TRAILER;
      } else {
        this.remaining = bytes + 2;
        this.state = DATA;
      }
    }
    return -1;
  }
}
