/**
 * The request heads the gateway's fast path takes itself: a strict subset of HTTP/1.1. Anything outside it
 * (another method or version, a path outside `/api`, Transfer-Encoding, Expect, Upgrade, an odd byte, a
 * repeated Content-Length, no Host) is not an error here: the connection goes to Node's HTTP server, whose
 * parser accepts or refuses it with the platform's envelope. So this parser never has to be as complete as
 * Node's, only never looser. It reads the bytes as they came (see head-bytes.ts).
 */
import {
  connectionValue,
  CR,
  decimal,
  FIELDS,
  keep,
  LF,
  LINES,
  nameIs,
  nameOf,
  scanHeaderLines,
  valueOf,
} from './head-bytes';

export { connectionTokens } from './head-bytes';

/** Headers that belong to one connection, never forwarded (RFC 9110 §7.6.1). */
export const HOP_BY_HOP: ReadonlySet<string> = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'proxy-authenticate',
  'proxy-authorization',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
]);

export interface RequestHead {
  method: string;
  /** The request target as sent (path and query). */
  url: string;
  /** The bytes the head was read from. */
  source: Buffer;
  /**
   * `[start, end)` pairs of `source` passed on to the service as they came: the request line and the header
   * lines but the hop-by-hop ones, the ones named in `Connection` and the X-Forwarded-* the gateway sets.
   */
  kept: number[];
  /** How many bytes `kept` covers. */
  keptBytes: number;
  contentLength: number;
  /** The client asked to close the connection after this request. */
  close: boolean;
  origin: string | undefined;
  host: string;
  /** Every X-Forwarded-For value the client sent, in order. */
  forwardedFor: string[];
  forwardedProto: string | undefined;
  /** The client's X-Request-Id and W3C traceparent (first of each; not kept: see fast-observe.ts). */
  requestId: string | undefined;
  traceparent: string | undefined;
}

const OTHER = 0;
const DROPPED = 1; // hop-by-hop (but Connection) or set by the gateway
const DECLINED = 2; // sends the request to Node's server (Transfer-Encoding, Expect, Upgrade)
const CONTENT_LENGTH = 3;
const HOST = 4;
const CONNECTION = 5;
const ORIGIN = 6;
const FORWARDED_FOR = 7;
const FORWARDED_PROTO = 8;
const REQUEST_ID = 9;
const TRACEPARENT = 10;

/** What the request header whose name is `buf[start, end)` is to the fast path. */
function kindOf(buf: Buffer, start: number, end: number): number {
  switch (end - start) {
    case 2:
      return nameIs(buf, start, 'te') ? DROPPED : OTHER;
    case 4:
      return nameIs(buf, start, 'host') ? HOST : OTHER;
    case 6:
      return nameIs(buf, start, 'origin') ? ORIGIN : nameIs(buf, start, 'expect') ? DECLINED : OTHER;
    case 7:
      return nameIs(buf, start, 'upgrade') ? DECLINED : nameIs(buf, start, 'trailer') ? DROPPED : OTHER;
    case 11:
      return nameIs(buf, start, 'traceparent') ? TRACEPARENT : OTHER;
    case 12:
      return nameIs(buf, start, 'x-request-id') ? REQUEST_ID : OTHER;
    case 10:
      return nameIs(buf, start, 'connection') ? CONNECTION : nameIs(buf, start, 'keep-alive') ? DROPPED : OTHER;
    case 14:
      return nameIs(buf, start, 'content-length') ? CONTENT_LENGTH : OTHER;
    case 15:
      return nameIs(buf, start, 'x-forwarded-for') ? FORWARDED_FOR : OTHER;
    case 16:
      return nameIs(buf, start, 'x-forwarded-host') || nameIs(buf, start, 'proxy-connection') ? DROPPED : OTHER;
    case 17:
      return nameIs(buf, start, 'x-forwarded-proto')
        ? FORWARDED_PROTO
        : nameIs(buf, start, 'transfer-encoding')
          ? DECLINED
          : OTHER;
    case 18:
      return nameIs(buf, start, 'proxy-authenticate') ? DROPPED : OTHER;
    case 19:
      return nameIs(buf, start, 'proxy-authorization') ? DROPPED : OTHER;
    default:
      return OTHER;
  }
}

/** The method the request line starts with (and a space), if the fast path serves it. */
function methodAt(buf: Buffer): string | null {
  switch (buf[0]) {
    case 0x47: // G
      return buf[1] === 0x45 && buf[2] === 0x54 && buf[3] === 0x20 ? 'GET' : null;
    case 0x50: // P
      if (buf[1] === 0x4f) {
        return buf[2] === 0x53 && buf[3] === 0x54 && buf[4] === 0x20 ? 'POST' : null;
      }
      if (buf[1] === 0x55) {
        return buf[2] === 0x54 && buf[3] === 0x20 ? 'PUT' : null;
      }
      return buf.toString('latin1', 0, 6) === 'PATCH ' ? 'PATCH' : null;
    case 0x48: // H
      return buf.toString('latin1', 0, 5) === 'HEAD ' ? 'HEAD' : null;
    case 0x44: // D
      return buf.toString('latin1', 0, 7) === 'DELETE ' ? 'DELETE' : null;
    default:
      return null;
  }
}

/** `HTTP/1.1` then CR, at `at`. */
function version11At(buf: Buffer, at: number): boolean {
  return (
    buf[at] === 0x48 &&
    buf[at + 1] === 0x54 &&
    buf[at + 2] === 0x54 &&
    buf[at + 3] === 0x50 &&
    buf[at + 4] === 0x2f &&
    buf[at + 5] === 0x31 &&
    buf[at + 6] === 0x2e &&
    buf[at + 7] === 0x31 &&
    buf[at + 8] === CR
  );
}

/**
 * Parses the head in `buf[0, end)` (`end`: where its blank line starts); null when the fast path must not take
 * it. The request line must be a method above, an `/api` target of visible ASCII and HTTP/1.1.
 */
export function parseRequestHead(buf: Buffer, end: number): RequestHead | null {
  const method = methodAt(buf);
  if (method === null) {
    return null;
  }
  const urlStart = method.length + 1;
  // `/api`, then the end of the target or `/` or `?`.
  if (
    buf[urlStart] !== 0x2f ||
    buf[urlStart + 1] !== 0x61 ||
    buf[urlStart + 2] !== 0x70 ||
    buf[urlStart + 3] !== 0x69
  ) {
    return null;
  }
  let pos = urlStart + 4;
  if (buf[pos] === 0x2f || buf[pos] === 0x3f) {
    while (pos < end && buf[pos] > 0x20 && buf[pos] < 0x7f) {
      pos++;
    }
  }
  if (buf[pos] !== 0x20 || !version11At(buf, pos + 1) || buf[pos + 10] !== LF) {
    return null;
  }
  const url = buf.toString('latin1', urlStart, pos);
  const kept: number[] = [];
  let keptBytes = keep(kept, 0, pos + 11);
  const lines = pos + 9 >= end ? 0 : scanHeaderLines(buf, pos + 11, end);
  if (lines < 0) {
    return null;
  }
  let contentLength = -1;
  let host: string | undefined;
  let origin: string | undefined;
  let forwardedProto: string | undefined;
  let requestId: string | undefined;
  let traceparent: string | undefined;
  let named: readonly string[] | undefined;
  const forwardedFor: string[] = [];
  for (let i = 0; i < lines; i++) {
    const at = i * FIELDS;
    const kind = kindOf(buf, LINES[at], LINES[at + 1]);
    switch (kind) {
      case OTHER:
        keptBytes += keep(kept, LINES[at], LINES[at + 4]);
        continue;
      case DECLINED:
        return null;
      case CONTENT_LENGTH:
        if (contentLength !== -1) {
          return null;
        }
        contentLength = decimal(buf, LINES[at + 2], LINES[at + 3]);
        if (contentLength === -1) {
          return null;
        }
        break;
      case HOST:
        if (host !== undefined) {
          return null;
        }
        host = valueOf(buf, i);
        break;
      case CONNECTION:
        named = named ? [...named, ...connectionValue(buf, i)] : connectionValue(buf, i);
        continue;
      case ORIGIN:
        origin ??= valueOf(buf, i);
        break;
      case FORWARDED_FOR:
        forwardedFor.push(valueOf(buf, i));
        continue;
      case FORWARDED_PROTO:
        forwardedProto ??= valueOf(buf, i);
        continue;
      case REQUEST_ID:
        requestId ??= valueOf(buf, i);
        continue;
      case TRACEPARENT:
        traceparent ??= valueOf(buf, i);
        continue;
      default: // DROPPED
        continue;
    }
    keptBytes += keep(kept, LINES[at], LINES[at + 4]);
  }
  if (host === undefined) {
    return null;
  }
  let close = false;
  if (named) {
    if (named.includes('upgrade')) {
      return null;
    }
    close = named.includes('close');
    if (named.some((token) => token !== 'close' && token !== 'keep-alive')) {
      // The rare second pass: the headers `Connection` names are dropped too.
      kept.length = 0;
      keptBytes = keep(kept, 0, pos + 11);
      for (let i = 0; i < lines; i++) {
        const at = i * FIELDS;
        const kind = kindOf(buf, LINES[at], LINES[at + 1]);
        if (
          (kind === OTHER || kind === CONTENT_LENGTH || kind === HOST || kind === ORIGIN) &&
          !named.includes(nameOf(buf, i))
        ) {
          keptBytes += keep(kept, LINES[at], LINES[at + 4]);
        }
      }
    }
  }
  return {
    method,
    url,
    source: buf,
    kept,
    keptBytes,
    contentLength: Math.max(0, contentLength),
    close,
    origin,
    host,
    forwardedFor,
    forwardedProto,
    requestId,
    traceparent,
  };
}

/**
 * The client address as Fastify's `trustProxy: (address, hop) => hop < hops` finds it: the socket address
 * and then the X-Forwarded-For entries from the right, the first one not within `hops` trusted hops.
 */
export function clientIp(remote: string, forwardedFor: readonly string[], hops: number): string {
  if (hops <= 0 || forwardedFor.length === 0) {
    return remote;
  }
  const entries = forwardedFor
    .join(',')
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '');
  const chain = [remote, ...entries.reverse()];
  return chain[Math.min(hops, chain.length - 1)];
}

/** The latin1 text of what `head.kept` covers (for tests and logs). */
export function keptText(head: { source: Buffer; kept: readonly number[] }): string {
  let text = '';
  for (let i = 0; i < head.kept.length; i += 2) {
    text += head.source.toString('latin1', head.kept[i], head.kept[i + 1]);
  }
  return text;
}
