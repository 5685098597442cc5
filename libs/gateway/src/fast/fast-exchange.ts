import type * as net from 'node:net';
import { routeFor, type Route } from '../route-table';
import type { UpstreamAddress, UpstreamPool } from '../upstream-pool';
import { corsLines, envelopeResponse, type FastContext } from './fast-context';
import { observeExchange, type ExchangeObservation } from './fast-observe';
import type { RequestHead } from './request-head';
import { ChunkedTracker, parseResponseHead, type ResponseHead } from './response-head';
import type { LinkOwner, UpstreamLink } from './upstream-links';

/** Connection errors after which the request surely never reached the service. */
const NOT_CONNECTED = new Set(['ECONNREFUSED', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN']);
/** Body bytes held while no upstream connection is open before the client is paused. */
const MAX_PENDING_BODY = 1024 * 1024;
const MAX_RESPONSE_HEAD = 256 * 1024;
const CRLF2 = Buffer.from('\r\n\r\n');

/** The client connection an exchange answers on. */
export interface ExchangeHost {
  readonly socket: net.Socket;
  /** The response is complete and the request body read: the connection may serve its next request. */
  exchangeDone(keepAlive: boolean): void;
  /** Cuts the client connection (a response that can't be completed). */
  cut(): void;
}

/**
 * One request through the fast path: routed, rate-limited, sent to an address of its service over a kept-alive
 * connection, the answer streamed back. The body is held until a connection is open, so a refused connect is
 * retried on the next address with nothing sent; a request without a body is also retried when a reused
 * connection turns out closed. No response headers within `responseTimeoutMs`: a 504, never sent again.
 */
export class FastExchange implements LinkOwner {
  /** Body bytes still to come from the client. */
  bodyLeft: number;
  responseStarted = false;
  private readonly route: Route;
  private pool: UpstreamPool | undefined;
  private link: UpstreamLink | undefined;
  private tried: UpstreamAddress[] | undefined;
  private fresh = false;
  private pending: Buffer[] | null;
  private pendingBytes: number;
  private sentAt = 0;
  private timedOut = false;
  private connectTimedOut = false;
  private status = 0;
  private upstream = '-';
  private responseBuffer: Buffer | null = null;
  private response: ResponseHead | undefined;
  private responseLeft = 0;
  private chunked: ChunkedTracker | undefined;
  private responseDone = false;
  private keepAlive = false;
  private finished = false;
  private readonly started: number;
  private readonly cors: string;
  private readonly observed: ExchangeObservation;

  constructor(
    private readonly ctx: FastContext,
    private readonly host: ExchangeHost,
    private readonly head: RequestHead,
    body: Buffer | null,
    private readonly ip: string,
    private readonly remote: string,
  ) {
    this.started = ctx.log ? performance.now() : 0;
    this.bodyLeft = head.contentLength - (body ? body.length : 0);
    this.pending = body ? [body] : null;
    this.pendingBytes = body ? body.length : 0;
    this.cors = corsLines(head.origin);
    this.route = routeFor(head.url);
    this.observed = observeExchange(head, this.route);
  }

  start(): void {
    if (this.route === 'blocked') {
      this.answer(404, "The requested resource wasn't found.");
      return;
    }
    const allowed = this.ctx.limit.allowNow(this.ip);
    if (allowed === true) {
      this.proceed();
    } else if (allowed === false) {
      this.answer(429, 'Too many requests.');
    } else {
      void allowed.then((ok) =>
        this.finished ? undefined : ok ? this.proceed() : this.answer(429, 'Too many requests.'),
      );
    }
  }

  /** Client body bytes; returns what lies past this request's body (the next request), if anything. */
  onClientBody(chunk: Buffer): Buffer | null {
    const take = Math.min(this.bodyLeft, chunk.length);
    const part = take === chunk.length ? chunk : chunk.subarray(0, take);
    this.bodyLeft -= take;
    if (this.responseDone) {
      if (this.bodyLeft === 0) {
        this.complete();
      }
    } else if (this.sentAt > 0 && this.link) {
      if (!this.link.socket.write(part)) {
        this.host.socket.pause();
      }
    } else {
      (this.pending ??= []).push(part);
      this.pendingBytes += part.length;
      if (this.pendingBytes > MAX_PENDING_BODY) {
        this.host.socket.pause();
      }
    }
    return take === chunk.length ? null : chunk.subarray(take);
  }

  /** The client can take more of the response. */
  onClientDrain(): void {
    this.link?.socket.resume();
  }

  /** Deadlines, checked by the gateway's periodic sweep. */
  check(now: number): void {
    const link = this.link;
    if (!link || this.response) {
      return;
    }
    if (!link.connected && now - link.openedAt > this.ctx.connectTimeoutMs) {
      this.connectTimedOut = true;
      link.socket.destroy();
    } else if (this.sentAt > 0 && now - this.sentAt > this.ctx.responseTimeoutMs) {
      this.timedOut = true;
      link.socket.destroy();
    }
  }

  /** The client went away: the upstream request is cut. */
  abort(): void {
    if (!this.finished) {
      this.finished = true;
      this.link?.destroy();
      this.link = undefined;
      this.log(this.status || 499);
    }
  }

  onUpstreamConnect(): void {
    this.send();
  }

  onUpstreamDrain(): void {
    this.host.socket.resume();
  }

  onUpstreamData(chunk: Buffer): void {
    if (this.response) {
      this.forwardBody(chunk, 0);
      return;
    }
    let buffer = this.responseBuffer ? Buffer.concat([this.responseBuffer, chunk]) : chunk;
    for (;;) {
      const end = buffer.indexOf(CRLF2);
      if (end === -1) {
        this.responseBuffer = buffer;
        if (buffer.length > MAX_RESPONSE_HEAD) {
          this.failUpstream();
        }
        return;
      }
      const response = parseResponseHead(buffer.toString('latin1', 0, end), this.head.method === 'HEAD');
      if (!response) {
        this.failUpstream();
        return;
      }
      if (response.status >= 200) {
        this.responseBuffer = null;
        this.startResponse(response, buffer, end + 4);
        return;
      }
      buffer = buffer.subarray(end + 4); // an interim 1xx answer: not passed on
    }
  }

  onUpstreamGone(error: NodeJS.ErrnoException | undefined): void {
    const link = this.link;
    this.link = undefined;
    if (this.finished || this.responseDone || !link) {
      return;
    }
    if (this.response) {
      if (this.response.framing === 'close' && !error) {
        this.endResponse(false);
      } else {
        this.host.cut(); // a service that died mid-response: the client reconnects elsewhere
        this.finish(false);
      }
      return;
    }
    if (this.timedOut) {
      this.answer(504, `The ${this.route} service did not answer in time.`);
    } else if (this.sentAt === 0) {
      // Never sent (refused, unreachable, connect timeout): the next address gets it, body and all.
      if (this.connectTimedOut || !link.connected || NOT_CONNECTED.has(error?.code ?? '')) {
        this.pool?.eject(link.address);
      }
      this.connectTimedOut = false;
      (this.tried ??= []).push(link.address);
      this.attempt();
    } else if (link.reused && this.head.contentLength === 0) {
      // A kept-alive connection the service had closed: a request without a body is sent again.
      this.fresh = true;
      this.sentAt = 0;
      this.attempt();
    } else {
      this.answer(502, `The ${this.route} service did not answer.`);
    }
  }

  private proceed(): void {
    this.pool = this.ctx.pool(this.route as Exclude<Route, 'blocked'>);
    this.attempt();
  }

  private attempt(): void {
    const address = this.pool?.pick(this.tried);
    if (!address) {
      this.answer(503, `The ${this.route} service is unavailable.`);
      return;
    }
    const link = this.ctx.links.take(address, this, this.fresh);
    this.fresh = false;
    this.link = link;
    this.upstream = `${address.host}:${address.port}`;
    if (link.connected) {
      this.send();
    }
  }

  private send(): void {
    const link = this.link as UpstreamLink;
    const head = this.head;
    const socket = link.socket;
    const forwardedFor = head.forwardedFor.length > 0 ? `${head.forwardedFor.join(', ')}, ${this.remote}` : this.remote;
    socket.cork();
    socket.write(
      `${head.method} ${head.url} HTTP/1.1\r\n${this.observed.forwarded}${this.observed.upstreamLines}` +
        `x-forwarded-for: ${forwardedFor}\r\n` +
        `x-forwarded-proto: ${head.forwardedProto ?? 'http'}\r\nx-forwarded-host: ${head.host}\r\n\r\n`,
      'latin1',
    );
    let full = true;
    for (const part of this.pending ?? []) {
      full = socket.write(part);
    }
    socket.uncork();
    this.sentAt = Date.now();
    if (this.pendingBytes > MAX_PENDING_BODY && full) {
      this.host.socket.resume();
    }
    this.pending = null;
    this.pendingBytes = 0;
  }

  private startResponse(response: ResponseHead, buffer: Buffer, bodyStart: number): void {
    this.response = response;
    this.status = response.status;
    this.responseStarted = true;
    this.keepAlive = !this.head.close && !response.close && !this.ctx.draining;
    const framing = response.framing === 'chunked' ? 'Transfer-Encoding: chunked\r\n' : '';
    const socket = this.host.socket;
    socket.cork();
    socket.write(
      `HTTP/1.1 ${response.status} ${response.reason}\r\n${response.forwarded}${this.cors}${framing}` +
        `${this.keepAlive ? this.ctx.keepAliveLines : 'Connection: close\r\n'}\r\n`,
      'latin1',
    );
    if (response.framing === 'none') {
      socket.uncork();
      this.endResponse(bodyStart === buffer.length);
      return;
    }
    this.responseLeft = response.contentLength;
    this.chunked = response.framing === 'chunked' ? new ChunkedTracker() : undefined;
    this.forwardBody(buffer, bodyStart);
    socket.uncork();
  }

  private forwardBody(chunk: Buffer, start: number): void {
    const response = this.response as ResponseHead;
    let end = chunk.length;
    let ended = false;
    if (response.framing === 'length') {
      end = start + Math.min(this.responseLeft, chunk.length - start);
      this.responseLeft -= end - start;
      ended = this.responseLeft === 0;
    } else if (this.chunked) {
      try {
        const found = this.chunked.feed(chunk, start);
        ended = found !== -1;
        end = ended ? found : chunk.length;
      } catch {
        this.host.cut();
        this.link?.destroy();
        this.link = undefined;
        this.finish(false);
        return;
      }
    }
    if (
      end > start &&
      !this.host.socket.write(start === 0 && end === chunk.length ? chunk : chunk.subarray(start, end))
    ) {
      this.link?.socket.pause();
    }
    if (ended) {
      this.endResponse(end === chunk.length);
    }
  }

  /** The response's last byte went to the client; `clean`: the connection to the service can serve another. */
  private endResponse(clean: boolean): void {
    this.responseDone = true;
    const link = this.link;
    this.link = undefined;
    if (link) {
      if (clean && this.bodyLeft === 0 && !this.response?.close) {
        this.ctx.links.release(link, this.response?.keepAliveSeconds ?? -1);
      } else {
        link.destroy();
      }
    }
    if (this.bodyLeft === 0) {
      this.complete();
    }
  }

  /** An answer of the gateway's own, in the envelope (the rest of the request body is read and dropped). */
  private answer(status: number, message: string): void {
    this.link?.destroy();
    this.link = undefined;
    this.status = status;
    this.responseStarted = true;
    this.keepAlive = !this.head.close && !this.ctx.draining;
    this.host.socket.write(
      envelopeResponse(
        status,
        message,
        `${this.cors}X-Request-Id: ${this.observed.requestId}\r\n`,
        this.keepAlive ? this.ctx.keepAliveLines : null,
      ),
      'latin1',
    );
    this.pending = null;
    this.responseDone = true;
    if (this.bodyLeft === 0 || !this.keepAlive) {
      this.complete();
    }
  }

  private failUpstream(): void {
    this.link?.destroy();
    this.link = undefined;
    this.answer(502, `The ${this.route} service did not answer.`);
  }

  private complete(): void {
    this.finish(this.keepAlive);
  }

  private finish(keepAlive: boolean): void {
    if (this.finished) {
      return;
    }
    this.finished = true;
    this.log(this.status);
    this.host.exchangeDone(keepAlive);
  }

  private log(status: number): void {
    this.observed.end(status, this.upstream);
    this.ctx.log?.(
      {
        reqId: this.observed.requestId,
        method: this.head.method,
        url: this.head.url,
        status,
        service: this.route,
        upstream: this.upstream,
        ip: this.ip,
      },
      this.started,
    );
  }
}
