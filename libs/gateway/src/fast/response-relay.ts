import type * as net from 'node:net';
import { ChunkedTracker, parseResponseHead, type ResponseHead } from './response-head';
import { writeResponseHead } from './wire';

const MAX_RESPONSE_HEAD = 256 * 1024;
const CRLF2 = Buffer.from('\r\n\r\n');

/** The exchange a relay passes a service's response on for. */
export interface RelayHost {
  readonly client: net.Socket;
  /** The lines the client gets after the service's headers (CORS, framing, connection), with the blank line. */
  headLines(response: ResponseHead): string;
  /** The client can't take more for now: reading from the service waits for its `drain`. */
  pauseUpstream(): void;
  /** The response's last byte went to the client; `clean`: the service sent nothing past it. */
  responseEnded(clean: boolean): void;
  /** No response head the gateway can pass on (nothing was sent to the client). */
  headFailed(): void;
  /** A malformed chunked body: the client connection can only be cut. */
  bodyFailed(): void;
}

/**
 * A service's response on its way to the client: the head read (across chunks if need be), interim 1xx
 * answers dropped, the head rewritten and sent with the first body bytes in one write, then the body passed on
 * as it comes until its framing (length or chunked) says it ended.
 */
export class ResponseRelay {
  response: ResponseHead | undefined;
  private buffered: Buffer | null = null;
  private left = 0;
  private chunked: ChunkedTracker | undefined;

  constructor(
    private readonly host: RelayHost,
    private readonly forHead: boolean,
  ) {}

  /** Bytes from the service (valid during this call only: see `LinkOwner.onUpstreamData`). */
  feed(chunk: Buffer): void {
    if (this.response) {
      this.forward(chunk, 0);
      return;
    }
    let buffer = this.buffered ? Buffer.concat([this.buffered, chunk]) : chunk;
    for (;;) {
      const end = buffer.indexOf(CRLF2);
      if (end === -1) {
        this.buffered = Buffer.from(buffer); // a copy: `chunk` is read into again
        if (buffer.length > MAX_RESPONSE_HEAD) {
          this.host.headFailed();
        }
        return;
      }
      const response = parseResponseHead(buffer, end, this.forHead);
      if (!response) {
        this.host.headFailed();
        return;
      }
      if (response.status >= 200) {
        this.buffered = null;
        this.start(response, buffer, end + 4);
        return;
      }
      buffer = buffer.subarray(end + 4); // an interim 1xx answer: not passed on
    }
  }

  private start(response: ResponseHead, buffer: Buffer, bodyStart: number): void {
    this.response = response;
    const lines = this.host.headLines(response);
    if (response.framing === 'none') {
      writeResponseHead(this.host.client, response, lines, buffer, bodyStart, bodyStart);
      this.host.responseEnded(bodyStart === buffer.length);
      return;
    }
    this.left = response.contentLength;
    this.chunked = response.framing === 'chunked' ? new ChunkedTracker() : undefined;
    const end = this.bodyEnd(buffer, bodyStart);
    if (end === -2) {
      return;
    }
    const last = end !== -1;
    const stop = last ? end : buffer.length;
    if (!writeResponseHead(this.host.client, response, lines, buffer, bodyStart, stop)) {
      this.host.pauseUpstream();
    }
    if (last) {
      this.host.responseEnded(stop === buffer.length);
    }
  }

  private forward(chunk: Buffer, start: number): void {
    const end = this.bodyEnd(chunk, start);
    if (end === -2) {
      return;
    }
    const stop = end === -1 ? chunk.length : end;
    if (
      stop > start &&
      !this.host.client.write(Buffer.from(chunk.subarray(start, stop))) // a copy, as above
    ) {
      this.host.pauseUpstream();
    }
    if (end !== -1) {
      this.host.responseEnded(stop === chunk.length);
    }
  }

  /**
   * Where the body ends in `chunk` (past `start`), or -1 when it goes on past it, or -2 on a malformed chunked
   * body (reported). A body read to the connection's close never ends here.
   */
  private bodyEnd(chunk: Buffer, start: number): number {
    const response = this.response as ResponseHead;
    if (response.framing === 'length') {
      const take = Math.min(this.left, chunk.length - start);
      this.left -= take;
      return this.left === 0 ? start + take : -1;
    }
    if (this.chunked) {
      try {
        return this.chunked.feed(chunk, start);
      } catch {
        this.host.bodyFailed();
        return -2;
      }
    }
    return -1;
  }
}
