/**
 * The request heads the gateway's fast path takes itself: a strict subset of HTTP/1.1. Anything outside it
 * (another method or version, a path outside `/api`, Transfer-Encoding, Expect, Upgrade, an odd byte, a
 * repeated Content-Length, no Host) is not an error here: the connection goes to Node's HTTP server, whose
 * parser accepts or refuses it with the platform's envelope. So this parser never has to be as complete as
 * Node's, only never looser.
 */

/** Method, an `/api` target of visible ASCII, HTTP/1.1: what the fast path serves. */
const REQUEST_LINE = /^(GET|HEAD|POST|PUT|PATCH|DELETE) (\/api(?:[/?][\x21-\x7e]*)?) HTTP\/1\.1$/;
/** `name: value` with a token name and a value without control characters (HTAB allowed, obs-text allowed). */
// eslint-disable-next-line no-control-regex -- refusing control characters is the point
const HEADER_LINE = /^([!#$%&'*+.^_`|~0-9A-Za-z-]+):[ \t]*([^\x00-\x08\x0a-\x1f\x7f]*?)[ \t]*$/;
const DIGITS = /^\d{1,15}$/;
const MAX_HEADERS = 200;

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

/**
 * Request headers the gateway sets itself (X-Forwarded-For is rebuilt with the client's address; X-Request-Id is
 * the client's when sane, else a new one: see fast-observe.ts).
 */
const GATEWAY_SET: ReadonlySet<string> = new Set([
  'x-forwarded-for',
  'x-forwarded-proto',
  'x-forwarded-host',
  'x-request-id',
]);

/** Headers that send a request to Node's server instead (their semantics are its job). */
const DECLINED: ReadonlySet<string> = new Set(['transfer-encoding', 'expect', 'upgrade']);

export interface RequestHead {
  method: string;
  /** The request target as sent (path and query). */
  url: string;
  /** The header lines for the service (hop-by-hop and gateway-set ones dropped), each ending in CRLF. */
  forwarded: string;
  contentLength: number;
  /** The client asked to close the connection after this request. */
  close: boolean;
  origin: string | undefined;
  host: string;
  /** Every X-Forwarded-For value the client sent, in order. */
  forwardedFor: string[];
  forwardedProto: string | undefined;
  /** The client's X-Request-Id and W3C traceparent (first of each), for fast-observe.ts. */
  requestId: string | undefined;
  traceparent: string | undefined;
}

/** The tokens of a `Connection` header, lower-cased. */
export function connectionTokens(value: string): string[] {
  return value
    .split(',')
    .map((token) => token.trim().toLowerCase())
    .filter((token) => token !== '');
}

/** Parses `head` (the bytes before the blank line, as latin1); null when the fast path must not take it. */
export function parseRequestHead(head: string): RequestHead | null {
  const lines = head.split('\r\n');
  const line = REQUEST_LINE.exec(lines[0]);
  if (!line || lines.length > MAX_HEADERS) {
    return null;
  }
  let forwarded = '';
  let contentLength = -1;
  let connection = '';
  let host: string | undefined;
  let origin: string | undefined;
  let forwardedProto: string | undefined;
  let requestId: string | undefined;
  let traceparent: string | undefined;
  const forwardedFor: string[] = [];
  for (let i = 1; i < lines.length; i++) {
    const header = HEADER_LINE.exec(lines[i]);
    if (!header) {
      return null;
    }
    const name = header[1].toLowerCase();
    const value = header[2];
    if (DECLINED.has(name)) {
      return null;
    }
    switch (name) {
      case 'content-length':
        if (contentLength !== -1 || !DIGITS.test(value)) {
          return null;
        }
        contentLength = Number(value);
        break;
      case 'host':
        if (host !== undefined) {
          return null;
        }
        host = value;
        break;
      case 'connection':
        connection = connection ? `${connection},${value}` : value;
        break;
      case 'origin':
        origin ??= value;
        break;
      case 'x-forwarded-for':
        forwardedFor.push(value);
        break;
      case 'x-forwarded-proto':
        forwardedProto ??= value;
        break;
      case 'x-request-id':
        requestId ??= value;
        break;
      case 'traceparent':
        traceparent ??= value;
        break;
    }
    if (!HOP_BY_HOP.has(name) && !GATEWAY_SET.has(name)) {
      forwarded += `${lines[i]}\r\n`; // as sent: it matched HEADER_LINE
    }
  }
  if (host === undefined) {
    return null;
  }
  const named = connection ? connectionTokens(connection) : [];
  if (named.includes('upgrade')) {
    return null;
  }
  if (named.some((token) => token !== 'close' && token !== 'keep-alive')) {
    forwarded = withoutNamed(lines, named);
  }
  return {
    method: line[1],
    url: line[2],
    forwarded,
    contentLength: Math.max(0, contentLength),
    close: named.includes('close'),
    origin,
    host,
    forwardedFor,
    forwardedProto,
    requestId,
    traceparent,
  };
}

/** The header lines but those hop-by-hop, set by the gateway or named in `Connection` (the rare second pass). */
function withoutNamed(lines: readonly string[], named: readonly string[]): string {
  let forwarded = '';
  for (let i = 1; i < lines.length; i++) {
    const name = lines[i].slice(0, lines[i].indexOf(':')).toLowerCase();
    if (!HOP_BY_HOP.has(name) && !GATEWAY_SET.has(name) && !named.includes(name)) {
      forwarded += `${lines[i]}\r\n`;
    }
  }
  return forwarded;
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
