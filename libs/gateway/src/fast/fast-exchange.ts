import type * as net from 'node:net';
import { routeFor, type Route } from '../route-table';
import type { UpstreamAddress, UpstreamPool } from '../upstream-pool';
import { corsLines, envelopeResponse, type FastContext } from './fast-context';
import { observeExchange, type ExchangeObservation } from './fast-observe';
import type { RequestHead } from './request-head';
import type { ResponseHead } from './response-head';
import { ResponseRelay, type RelayHost } from './response-relay';
import type { ExchangeHost } from './fast-connection';
import type { LinkOwner, UpstreamLink } from './upstream-links';
import { forwardingLines, writeRequest } from './wire';

// Connection errors after which the request surely never reached the service; body bytes held while no upstream
// connection is open before the client is paused.
const NOT_CONNECTED = new Set(['ECONNREFUSED', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN']);
const MAX_PENDING_BODY = 1024 * 1024;
/** Body bytes still to come that an answered request's connection reads and drops before it closes. */
const MAX_DRAIN_BODY = 64 * 1024 * 1024;

/**
 * One request through the fast path: routed, rate-limited, sent to an address of its service over a kept-alive
 * connection, the answer passed back by a `ResponseRelay`. The body is held until a connection is open, so a
 * refused connect is retried on the next address with nothing sent; a request without a body is also retried
 * when a reused connection turns out closed. No response head within `responseTimeoutMs`: a 504, never resent.
 */
export class FastExchange implements LinkOwner, RelayHost {
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
  private relay: ResponseRelay | undefined;
  private responseDone = false;
  private keepAlive = false;
  private finished = false;
  private readonly started: number;
  private readonly cors: string;
  readonly client: net.Socket;
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
    this.client = host.socket;
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
        this.finish(this.keepAlive);
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
    if (!link || this.relay?.response) {
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
    this.client.resume();
  }

  onUpstreamData(chunk: Buffer): void {
    (this.relay ??= new ResponseRelay(this, this.head.method === 'HEAD')).feed(chunk);
  }

  onUpstreamGone(error: NodeJS.ErrnoException | undefined): void {
    const link = this.link;
    this.link = undefined;
    if (this.finished || this.responseDone || !link) {
      return;
    }
    const response = this.relay?.response;
    if (response) {
      if (response.framing === 'close' && !error) {
        this.responseEnded(false);
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
      // A dropped request (a crash, a kill): the service's other kept-alive connections may be dead unread, and a
      // POST sent on one is lost too. Out of rotation until a probe passes: the next requests go to other replicas.
      this.pool?.eject(link.address);
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
    this.relay = undefined;
    this.link = link;
    this.upstream = `${address.host}:${address.port}`;
    if (link.connected) {
      this.send();
    }
  }

  private send(): void {
    const lines = this.observed.upstreamLines + forwardingLines(this.head, this.remote);
    const full = writeRequest((this.link as UpstreamLink).socket, this.head, lines, this.pending, this.pendingBytes);
    this.sentAt = Date.now();
    if (this.pendingBytes > MAX_PENDING_BODY && full) {
      this.host.socket.resume();
    }
    this.pending = null;
    this.pendingBytes = 0;
  }

  headLines(response: ResponseHead): string {
    this.status = response.status;
    this.responseStarted = true;
    this.keepAlive = !this.head.close && !response.close && !this.ctx.draining;
    const framing = response.framing === 'chunked' ? 'Transfer-Encoding: chunked\r\n' : '';
    return `${this.cors}${framing}${this.keepAlive ? this.ctx.keepAliveLines : 'Connection: close\r\n'}\r\n`;
  }

  pauseUpstream(): void {
    this.link?.socket.pause();
  }

  /** The response's last byte went to the client; `clean`: the connection to the service can serve another. */
  responseEnded(clean: boolean): void {
    this.responseDone = true;
    const link = this.link;
    this.link = undefined;
    const response = this.relay?.response;
    if (link) {
      if (clean && this.bodyLeft === 0 && response && !response.close) {
        this.ctx.links.release(link, response.keepAliveSeconds);
      } else {
        link.destroy();
      }
    }
    if (this.bodyLeft === 0) {
      this.finish(this.keepAlive);
    }
  }

  headFailed(): void {
    this.answer(502, `The ${this.route} service did not answer.`);
  }

  bodyFailed(): void {
    this.host.cut();
    this.link?.destroy();
    this.link = undefined;
    this.finish(false);
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
        this.head.method === 'HEAD',
      ),
      'latin1',
    );
    this.pending = null;
    this.responseDone = true;
    // Closing with body bytes unread would reset the connection and could discard this answer (seen: a blocked
    // route's 404 to a 2 MB `Connection: close` POST never arrived): the rest of a body up to MAX_DRAIN_BODY is
    // read and dropped first (onClientBody finishes at its end); past that the connection is closed at once.
    if (this.bodyLeft === 0 || (!this.keepAlive && this.bodyLeft > MAX_DRAIN_BODY)) {
      this.finish(this.keepAlive);
    } else {
      this.host.socket.resume();
    }
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
