import * as http from 'node:http';
import type { UpstreamAddress, UpstreamPool } from './upstream-pool';
import { HOP_BY_HOP } from './fast/request-head';

/** Codes of the gateway's own upstream timeouts. */
const CONNECT_TIMEOUT = 'NB_UPSTREAM_CONNECT_TIMEOUT';
const RESPONSE_TIMEOUT = 'NB_UPSTREAM_RESPONSE_TIMEOUT';

/** Request headers the gateway sets itself (`expect`: the gateway already answered the 100-continue). */
const GATEWAY_SET = new Set(['x-forwarded-proto', 'x-forwarded-host', 'expect']);

/** Connection errors after which the request surely never reached the service. */
const NOT_CONNECTED = new Set([
  'ECONNREFUSED',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  CONNECT_TIMEOUT,
]);

export interface ProxyResult {
  status: number;
  upstream: string;
}

export interface ProxyOptions {
  /** The gateway's CORS headers: they replace the upstream's (its `access-control-*` ones are dropped). */
  responseHeaders: Record<string, string | string[]>;
  /** Request headers the gateway sets (X-Request-Id, traceparent): they replace the client's. */
  requestHeaders?: Record<string, string>;
  bodyLimit: number;
  /** Connecting longer than this: the next address is tried. */
  connectTimeoutMs: number;
  /** No response headers this long after the request was sent: 504. */
  responseTimeoutMs: number;
  /** Called once the response ended or the client went away. */
  done(result: ProxyResult): void;
}

const agent = new http.Agent({ keepAlive: true });

/** `X-Forwarded-For` for the upstream: what the client sent (joined) with the client's socket address added. */
export function forwardedFor(request: http.IncomingMessage): string {
  const sent = request.headersDistinct['x-forwarded-for'] ?? [];
  return [...sent, request.socket.remoteAddress ?? ''].join(', ');
}

/** The hop-by-hop headers of one message: the fixed ones plus every header its `Connection` names. */
function hopByHop(message: http.IncomingMessage): ReadonlySet<string> {
  const named = message.headers.connection;
  if (!named) {
    return HOP_BY_HOP;
  }
  const more = named.split(',').map((token) => token.trim().toLowerCase());
  return new Set([...HOP_BY_HOP, ...more]);
}

/** The request headers for the upstream: hop-by-hop ones dropped, X-Forwarded-* added. */
function forwardHeaders(request: http.IncomingMessage, set: Record<string, string> = {}): string[] {
  const out: string[] = [];
  const raw = request.rawHeaders;
  const drop = hopByHop(request);
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i].toLowerCase();
    if (name !== 'x-forwarded-for' && !drop.has(name) && !GATEWAY_SET.has(name) && !(name in set)) {
      out.push(raw[i], raw[i + 1]);
    }
  }
  for (const [name, value] of Object.entries(set)) {
    out.push(name, value);
  }
  out.push('x-forwarded-for', forwardedFor(request));
  out.push('x-forwarded-proto', (request.headers['x-forwarded-proto'] as string | undefined) ?? 'http');
  out.push('x-forwarded-host', request.headers.host ?? '');
  if (request.headers['transfer-encoding']) {
    out.push('transfer-encoding', 'chunked');
  }
  return out;
}

function responseHeaders(upstream: http.IncomingMessage, options: ProxyOptions): string[] {
  const out: string[] = [];
  const raw = upstream.rawHeaders;
  const drop = hopByHop(upstream);
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i].toLowerCase();
    if (drop.has(name) || name in options.responseHeaders || name.startsWith('access-control-')) {
      continue;
    }
    out.push(raw[i], raw[i + 1]);
  }
  for (const [name, value] of Object.entries(options.responseHeaders)) {
    for (const one of Array.isArray(value) ? value : [value]) {
      out.push(name, one);
    }
  }
  return out;
}

/** PocketBase's error envelope, written straight to the response. */
export function sendEnvelope(
  response: http.ServerResponse,
  status: number,
  message: string,
  headers: Record<string, string | string[]> = {},
): void {
  if (response.headersSent) {
    response.destroy();
    return;
  }
  const body = JSON.stringify({ status, message, data: {} });
  response.writeHead(status, {
    ...headers,
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(body),
  });
  response.end(body);
}

/**
 * Streams `request` to an address of `pool` and the answer back, without buffering either way (SSE
 * streams flow through as the service writes them). A connection that is refused is retried on the
 * next address (the request never left); a request without a body is also retried when a kept-alive
 * connection turns out to be closed. Otherwise a failed upstream gives 502 (or cuts a started response).
 */
export function proxyHttp(
  request: http.IncomingMessage,
  response: http.ServerResponse,
  pool: UpstreamPool,
  options: ProxyOptions,
): void {
  const hasBody = Number(request.headers['content-length'] ?? 0) > 0 || request.headers['transfer-encoding'];
  const headers = forwardHeaders(request, options.requestHeaders);
  const tried = new Set<UpstreamAddress>();
  let status = 0;
  let upstreamName = '-';
  let finished = false;
  const finish = () => {
    if (!finished) {
      finished = true;
      options.done({ status: status || response.statusCode, upstream: upstreamName });
    }
  };
  response.once('close', finish);

  const attempt = (): void => {
    const address = pool.pick(tried);
    if (!address) {
      status = 503;
      sendEnvelope(response, 503, `The ${pool.service} service is unavailable.`, options.responseHeaders);
      return;
    }
    tried.add(address);
    upstreamName = `${address.host}:${address.port}`;
    let bodySent = false;
    const upstream = http.request({
      host: address.host,
      port: address.port,
      method: request.method,
      path: request.url,
      headers,
      agent,
    });
    const sendBody = () => {
      bodySent = true;
      if (hasBody) {
        pipeBody(request, upstream, options.bodyLimit, () => {
          status = 413;
          upstream.destroy();
          sendEnvelope(response, 413, 'Request entity too large.', options.responseHeaders);
        });
      } else {
        upstream.end();
      }
    };
    const fail = (code: string, ms: number) =>
      upstream.destroy(Object.assign(new Error(`upstream ${code} after ${ms} ms`), { code }));
    // No response headers in time (a hung service): a 504, not a client waiting forever.
    const responseTimer = setTimeout(
      () => fail(RESPONSE_TIMEOUT, options.responseTimeoutMs),
      options.responseTimeoutMs,
    );
    upstream.once('close', () => clearTimeout(responseTimer));
    upstream.once('socket', (socket) => {
      if (socket.connecting) {
        // An address that doesn't answer the connect (a dead host): the request never left, try the next one.
        const connectTimer = setTimeout(
          () => fail(CONNECT_TIMEOUT, options.connectTimeoutMs),
          options.connectTimeoutMs,
        );
        socket.once('connect', () => {
          clearTimeout(connectTimer);
          sendBody();
        });
        socket.once('close', () => clearTimeout(connectTimer));
      } else {
        sendBody();
      }
    });
    upstream.once('response', (answer) => {
      clearTimeout(responseTimer);
      status = answer.statusCode ?? 502;
      response.writeHead(status, answer.statusMessage, responseHeaders(answer, options));
      if (String(answer.headers['content-type'] ?? '').startsWith('text/event-stream')) {
        // An SSE stream is long-lived by design (the realtime service closes idle ones): no idle-socket cut.
        response.socket?.setTimeout(0);
      }
      answer.pipe(response);
      // A service that dies mid-stream: cut the client's connection so it reconnects elsewhere.
      answer.once('aborted', () => response.destroy());
      answer.once('error', () => response.destroy());
    });
    upstream.once('error', (error: NodeJS.ErrnoException) => {
      if (status === 413) {
        return; // the gateway answered already; this is the upstream request it cut
      }
      if (response.headersSent || response.destroyed) {
        response.destroy();
        return;
      }
      if (error.code === RESPONSE_TIMEOUT) {
        // The service has the request and may be working on it: never sent again.
        status = 504;
        sendEnvelope(response, 504, `The ${pool.service} service did not answer in time.`, options.responseHeaders);
        return;
      }
      const refused = NOT_CONNECTED.has(error.code ?? '');
      if (refused) {
        pool.eject(address);
      }
      if (refused || (!hasBody && upstream.reusedSocket) || (!bodySent && !hasBody)) {
        attempt();
        return;
      }
      // The service dropped a request it had (a crash, a kill): out of rotation until a probe passes (see
      // FastExchange.onUpstreamGone), so its other kept-alive connections aren't used meanwhile.
      pool.eject(address);
      status = 502;
      sendEnvelope(response, 502, `The ${pool.service} service did not answer.`, options.responseHeaders);
    });
    response.once('close', () => {
      if (!response.writableFinished) {
        upstream.destroy();
      }
    });
  };
  attempt();
}

/** Pipes the request body upstream, stopping with `tooLarge` once more than `limit` bytes came. */
function pipeBody(request: http.IncomingMessage, upstream: http.ClientRequest, limit: number, tooLarge: () => void) {
  let seen = 0;
  request.on('data', (chunk: Buffer) => {
    seen += chunk.length;
    if (seen > limit) {
      request.unpipe(upstream);
      request.removeAllListeners('data');
      request.resume();
      tooLarge();
    }
  });
  request.pipe(upstream);
}
