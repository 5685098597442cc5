import { currentTraceparent, endSpan, newRequestId, saneRequestId, SPAN_KIND, startSpan } from '@lib/core';
import type { RequestHead } from './request-head';

/** What the fast path adds to one exchange for logs and traces. */
export interface ExchangeObservation {
  readonly requestId: string;
  /**
   * Header lines for the service, each ending in CRLF: `x-request-id`, and `traceparent` (the gateway span's
   * while tracing, else the client's as it came; the parser never keeps the client's line).
   */
  readonly upstreamLines: string;
  end(status: number, upstream: string): void;
}

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
    const clientLine = head.traceparent === undefined ? '' : `traceparent: ${head.traceparent}\r\n`;
    return { requestId, upstreamLines: idLine + clientLine, end: () => undefined };
  }
  const traceparent = currentTraceparent(span);
  return {
    requestId,
    upstreamLines: `${idLine}traceparent: ${traceparent}\r\n`,
    end: (status, upstream) => {
      span.setAttribute('server.address', upstream);
      endSpan(span, status);
    },
  };
}
