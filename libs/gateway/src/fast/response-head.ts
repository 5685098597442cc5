import { connectionValue, decimal, FIELDS, keep, LINES, nameIs, nameOf, scanHeaderLines, valueOf } from './head-bytes';

/** How the body of a response ends. */
export type Framing = 'none' | 'length' | 'chunked' | 'close';

export interface ResponseHead {
  status: number;
  /** The bytes the head was read from. */
  source: Buffer;
  /**
   * `[start, end)` pairs of `source` passed on to the client as they came: the status line past its
   * `HTTP/1.x ` (the status and reason) and the header lines but hop-by-hop, CORS, Vary and `Connection`-named.
   */
  kept: number[];
  /** How many bytes `kept` covers. */
  keptBytes: number;
  framing: Framing;
  contentLength: number;
  /** The service will close this connection after the response. */
  close: boolean;
  /** The service's `Keep-Alive: timeout=` in seconds, or -1. */
  keepAliveSeconds: number;
}

const OTHER = 0;
const DROPPED = 1; // hop-by-hop (but the ones read below), Vary, Access-Control-*
const CONTENT_LENGTH = 2;
const TRANSFER_ENCODING = 3;
const CONNECTION = 4;
const KEEP_ALIVE = 5;

/** What the response header whose name is `buf[start, end)` is to the gateway. */
function kindOf(buf: Buffer, start: number, end: number): number {
  const length = end - start;
  if (length > 15 && nameIs(buf, start, 'access-control-')) {
    return DROPPED;
  }
  switch (length) {
    case 2:
      return nameIs(buf, start, 'te') ? DROPPED : OTHER;
    case 4:
      return nameIs(buf, start, 'vary') ? DROPPED : OTHER;
    case 7:
      return nameIs(buf, start, 'upgrade') || nameIs(buf, start, 'trailer') ? DROPPED : OTHER;
    case 10:
      return nameIs(buf, start, 'connection') ? CONNECTION : nameIs(buf, start, 'keep-alive') ? KEEP_ALIVE : OTHER;
    case 14:
      return nameIs(buf, start, 'content-length') ? CONTENT_LENGTH : OTHER;
    case 16:
      return nameIs(buf, start, 'proxy-connection') ? DROPPED : OTHER;
    case 17:
      return nameIs(buf, start, 'transfer-encoding') ? TRANSFER_ENCODING : OTHER;
    case 18:
      return nameIs(buf, start, 'proxy-authenticate') ? DROPPED : OTHER;
    case 19:
      return nameIs(buf, start, 'proxy-authorization') ? DROPPED : OTHER;
    default:
      return OTHER;
  }
}

const KEEP_ALIVE_TIMEOUT = /timeout=(\d+)/i;

/** `HTTP/1.` and 0 or 1, a space, three digits: the HTTP minor version (0 or 1), or -1. */
function statusLine(buf: Buffer, end: number): number {
  if (
    end < 12 ||
    buf.toString('latin1', 0, 7) !== 'HTTP/1.' ||
    (buf[7] !== 0x30 && buf[7] !== 0x31) ||
    buf[8] !== 0x20 ||
    decimal(buf, 9, 12) === -1 ||
    (buf[12] !== 0x20 && buf[12] !== 13)
  ) {
    return -1;
  }
  return buf[7] - 0x30;
}

/** Where the status line's CRLF is (its reason holds no control character but HTAB), or -1. */
function reasonEnd(buf: Buffer, end: number): number {
  let pos = 12;
  while (pos < end && buf[pos] !== 13) {
    const c = buf[pos++];
    if ((c < 0x20 && c !== 0x09) || c === 0x7f) {
      return -1;
    }
  }
  return buf[pos + 1] === 10 ? pos : -1;
}

/**
 * Parses a service's response head in `buf[0, end)` (`end`: where its blank line starts); null when it isn't
 * one the gateway can pass on (the service is then treated as failed). `head` is true for an answer to HEAD.
 */
export function parseResponseHead(buf: Buffer, end: number, head: boolean): ResponseHead | null {
  const minor = statusLine(buf, end);
  const lineEnd = minor === -1 ? -1 : reasonEnd(buf, end);
  if (lineEnd === -1) {
    return null;
  }
  const code = decimal(buf, 9, 12);
  const kept: number[] = [];
  let keptBytes = keep(kept, 9, lineEnd + 2);
  const lines = lineEnd === end ? 0 : scanHeaderLines(buf, lineEnd + 2, end);
  if (lines < 0) {
    return null;
  }
  let contentLength = -1;
  let chunked = false;
  let named: readonly string[] | undefined;
  let keepAliveSeconds = -1;
  for (let i = 0; i < lines; i++) {
    const at = i * FIELDS;
    switch (kindOf(buf, LINES[at], LINES[at + 1])) {
      case OTHER:
        break;
      case CONTENT_LENGTH: {
        const value = decimal(buf, LINES[at + 2], LINES[at + 3]);
        if (value === -1 || (contentLength !== -1 && value !== contentLength)) {
          return null;
        }
        contentLength = value;
        break;
      }
      case TRANSFER_ENCODING:
        if (LINES[at + 3] - LINES[at + 2] !== 7 || !nameIs(buf, LINES[at + 2], 'chunked')) {
          return null;
        }
        chunked = true;
        continue;
      case CONNECTION:
        named = named ? [...named, ...connectionValue(buf, i)] : connectionValue(buf, i);
        continue;
      case KEEP_ALIVE: {
        const match = KEEP_ALIVE_TIMEOUT.exec(valueOf(buf, i));
        keepAliveSeconds = match ? Number(match[1]) : keepAliveSeconds;
        continue;
      }
      default: // DROPPED
        continue;
    }
    keptBytes += keep(kept, LINES[at], LINES[at + 4]);
  }
  if (named?.some((token) => token !== 'close' && token !== 'keep-alive')) {
    // The rare second pass: the headers `Connection` names are dropped too.
    kept.length = 0;
    keptBytes = keep(kept, 9, lineEnd + 2);
    for (let i = 0; i < lines; i++) {
      const at = i * FIELDS;
      const kind = kindOf(buf, LINES[at], LINES[at + 1]);
      if ((kind === OTHER || kind === CONTENT_LENGTH) && !named.includes(nameOf(buf, i))) {
        keptBytes += keep(kept, LINES[at], LINES[at + 4]);
      }
    }
  }
  const bodiless = head || code < 200 || code === 204 || code === 304;
  const framing: Framing = bodiless ? 'none' : chunked ? 'chunked' : contentLength >= 0 ? 'length' : 'close';
  const close = named?.includes('close') === true || (minor === 0 && named?.includes('keep-alive') !== true);
  return {
    status: code,
    source: buf,
    kept,
    keptBytes,
    framing,
    contentLength: Math.max(0, contentLength),
    close: close || framing === 'close',
    keepAliveSeconds,
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
