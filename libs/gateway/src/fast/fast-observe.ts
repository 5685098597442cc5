import { currentTraceparent, endSpan, newRequestId, saneRequestId, SPAN_KIND, startSpan, withSpan } from '@lib/core';
import type { RequestHead } from './request-head';

/** What the fast path adds to one exchange for logs and traces. */
export interface ExchangeObservation {
  readonly requestId: string;
  /** Header lines for the service: `x-request-id` (and `traceparent` while tracing), each ending in CRLF. */
  readonly upstreamLines: string;
  /** The header lines the client sent, less the `traceparent` the gateway's own replaces. */
  readonly forwarded: string;
  end(status: number, upstream: string): void;
}

const TRACEPARENT_LINE = /^traceparent:[^\r]*\r\n/im;

/**
 * The request id of a fast-path exchange (the client's sane `X-Request-Id`, else a new one) and, while tracing
 * is on, its gateway span: child of the client's `traceparent`, parent of the service's.
 */
export function observeExchange(head: RequestHead, route: string): ExchangeObservation {
  const requestId = saneRequestId(head.requestId) ?? newRequestId();
  const idLine = `x-request-id: ${requestId}\r\n`;
  const span = startSpan(
    `${head.method} ${route}`,
    SPAN_KIND.server,
    { 'http.request.method': head.method, 'url.path': head.url.split('?')[0], 'nestbase.request_id': requestId },
    head.traceparent ? { tp: head.traceparent } : undefined,
  );
  if (!span) {
    return { requestId, upstreamLines: idLine, forwarded: head.forwarded, end: () => undefined };
  }
  const traceparent = withSpan(span, currentTraceparent);
  return {
    requestId,
    upstreamLines: `${idLine}traceparent: ${traceparent}\r\n`,
    forwarded: head.traceparent === undefined ? head.forwarded : head.forwarded.replace(TRACEPARENT_LINE, ''),
    end: (status, upstream) => {
      span.setAttribute('server.address', upstream);
      endSpan(span, status);
    },
  };
}
