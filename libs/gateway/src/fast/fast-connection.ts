import type * as net from 'node:net';
import { MAX_HEADER_BYTES } from '@lib/core';
import type { FastContext } from './fast-context';
import { FastExchange } from './fast-exchange';
import { clientIp, parseRequestHead } from './request-head';

const CRLF2 = Buffer.from('\r\n\r\n');
/** Pipelined bytes held while a response is in flight before the client is paused. */
const MAX_PIPELINED = 64 * 1024;
const TIMED_OUT = JSON.stringify({ status: 408, message: 'Request timeout.', data: {} });
const TIMED_OUT_RESPONSE =
  'HTTP/1.1 408 Request Timeout\r\nConnection: close\r\nContent-Type: application/json; charset=utf-8\r\n' +
  `Content-Length: ${Buffer.byteLength(TIMED_OUT)}\r\n\r\n${TIMED_OUT}`;

/** The client connection an exchange answers on. */
export interface ExchangeHost {
  readonly socket: net.Socket;
  /** The response is complete and the request body read: the connection may serve its next request. */
  exchangeDone(keepAlive: boolean): void;
  /** Cuts the client connection (a response that can't be completed). */
  cut(): void;
}

/** Gives a connection the fast path won't serve to Node's HTTP server, with the bytes already read. */
export type Handover = (socket: net.Socket, buffered: Buffer | null) => void;

/**
 * One client connection on the fast path: reads request heads, hands each request to a `FastExchange`, one
 * at a time (pipelined requests wait), and keeps the header, body-rate, total-request and keep-alive
 * deadlines of `NB_HTTP_*` (checked by the gateway's sweep, no timer per request). The first request the
 * fast path doesn't take (see request-head.ts) sends the connection, for good, to Node's server.
 */
export class FastConnection implements ExchangeHost {
  private buffer: Buffer | null = null;
  private exchange: FastExchange | undefined;
  /** Start of the current wait: for a request (idle), or for the rest of a partial head. */
  private since = Date.now();
  private partial = false;
  private requests = 0;
  private processing = false;
  private closed = false;
  private requestStart = 0;
  private windowStart = 0;
  private windowBytes = 0;
  private readonly remote: string;
  private readonly onData = (chunk: Buffer) => this.data(chunk);

  constructor(
    private readonly ctx: FastContext,
    readonly socket: net.Socket,
    private readonly connections: Set<FastConnection>,
    private readonly handover: Handover,
  ) {
    this.remote = socket.remoteAddress ?? '';
    socket.setNoDelay(true);
    socket.on('data', this.onData);
    socket.on('end', this.onEnd);
    socket.on('error', this.onError);
    socket.on('close', this.onClose);
    socket.on('drain', this.onDrain);
    connections.add(this);
  }

  exchangeDone(keepAlive: boolean): void {
    this.exchange = undefined;
    if (!keepAlive || this.ctx.draining || this.closed) {
      this.close();
      return;
    }
    this.since = Date.now();
    if (this.socket.isPaused()) {
      this.socket.resume();
    }
    if (!this.processing) {
      this.process();
    }
  }

  cut(): void {
    this.closed = true;
    this.socket.destroy();
  }

  /** Shutdown: an idle connection closes now, a busy one after its response. */
  drain(): void {
    if (!this.exchange) {
      this.close();
    }
  }

  /** Deadlines (the gateway's sweep calls this every few hundred ms). */
  sweep(now: number): void {
    const timeouts = this.ctx.timeouts;
    const exchange = this.exchange;
    if (exchange) {
      exchange.check(now);
      if (exchange.bodyLeft > 0) {
        if (timeouts.requestMs > 0 && now - this.requestStart > timeouts.requestMs) {
          this.timeOut();
        } else if (timeouts.bodyMinBytesPerSec > 0 && now - this.windowStart >= timeouts.bodyWindowMs) {
          if (this.windowBytes < (timeouts.bodyMinBytesPerSec * timeouts.bodyWindowMs) / 1000) {
            this.timeOut();
          }
          this.windowStart = now;
          this.windowBytes = 0;
        }
      }
    } else if (this.partial) {
      if (now - this.since > timeouts.headersMs) {
        this.timeOut();
      }
    } else if (now - this.since > this.quietLimit(timeouts)) {
      this.close();
    }
  }

  /**
   * How long a connection with nothing under way may stay silent: a new one, the headers timeout; between two
   * requests, the keep-alive timeout — and never longer than the idle timeout, as Node's `server.timeout` closes a
   * silent socket on the other processes.
   */
  private quietLimit(timeouts: FastContext['timeouts']): number {
    const limit = this.requests === 0 ? timeouts.headersMs : timeouts.keepAliveMs;
    return timeouts.idleMs > 0 ? Math.min(limit, timeouts.idleMs) : limit;
  }

  private data(chunk: Buffer): void {
    let rest: Buffer | null = chunk;
    const exchange = this.exchange;
    if (exchange && exchange.bodyLeft > 0) {
      this.windowBytes += chunk.length;
      rest = exchange.onClientBody(chunk);
      if (!rest) {
        return;
      }
    }
    this.buffer = this.buffer ? Buffer.concat([this.buffer, rest]) : rest;
    if (this.exchange) {
      if (this.buffer.length > MAX_PIPELINED) {
        this.socket.pause();
      }
      return;
    }
    if (!this.processing) {
      this.process();
    }
  }

  /** Serves the buffered requests, one at a time. */
  private process(): void {
    this.processing = true;
    while (!this.exchange && this.buffer && !this.closed) {
      const buffer = this.buffer;
      const end = buffer.indexOf(CRLF2);
      if (end === -1) {
        if (buffer.length >= MAX_HEADER_BYTES) {
          this.giveAway(); // Node's parser answers the 431
        } else if (!this.partial) {
          this.partial = true;
          this.since = Date.now();
        }
        break;
      }
      // Past the header limit (Node answers the 431), a body over the limit (Fastify drains it and answers 413).
      const head = end + 4 > MAX_HEADER_BYTES ? null : parseRequestHead(buffer, end);
      if (!head || head.contentLength > this.ctx.bodyLimit) {
        this.giveAway();
        break;
      }
      this.partial = false;
      const bodyStart = end + 4;
      const inBuffer = Math.min(head.contentLength, buffer.length - bodyStart);
      const body = inBuffer > 0 ? buffer.subarray(bodyStart, bodyStart + inBuffer) : null;
      const after = bodyStart + inBuffer;
      this.buffer = after < buffer.length ? buffer.subarray(after) : null;
      this.requests++;
      const ip = clientIp(this.remote, head.forwardedFor, this.ctx.trustProxyHops);
      const exchange = new FastExchange(this.ctx, this, head, body, ip, this.remote);
      this.exchange = exchange;
      if (exchange.bodyLeft > 0) {
        this.requestStart = this.windowStart = Date.now();
        this.windowBytes = 0;
      }
      exchange.start();
    }
    this.processing = false;
    if (!this.exchange && !this.buffer) {
      this.since = Date.now();
    }
  }

  private giveAway(): void {
    const socket = this.socket;
    socket.off('data', this.onData);
    socket.off('end', this.onEnd);
    socket.off('error', this.onError);
    socket.off('close', this.onClose);
    socket.off('drain', this.onDrain);
    this.connections.delete(this);
    this.closed = true;
    const buffered = this.buffer;
    this.buffer = null;
    this.handover(socket, buffered);
  }

  private timeOut(): void {
    const answered = this.exchange?.responseStarted ?? false;
    this.exchange?.abort();
    this.exchange = undefined;
    this.closed = true;
    if (answered) {
      this.socket.destroy();
    } else {
      this.socket.end(TIMED_OUT_RESPONSE);
      this.socket.destroySoon();
    }
  }

  private close(): void {
    this.closed = true;
    this.buffer = null;
    this.socket.end();
    this.socket.destroySoon();
  }

  // A client that ends its side while a request is in flight aborts it, as Node's server does.
  private readonly onEnd = () => {
    this.exchange?.abort();
    this.exchange = undefined;
    this.close();
  };

  private readonly onError = () => this.socket.destroy();

  private readonly onClose = () => {
    this.closed = true;
    this.connections.delete(this);
    this.exchange?.abort();
    this.exchange = undefined;
  };

  private readonly onDrain = () => this.exchange?.onClientDrain();
}
