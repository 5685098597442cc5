import { currentTraceparent, endSpan, SPAN_KIND, startSpan } from '@lib/core';

/** The client span of one proxied request and the headers that make the service's span its child. */
export interface ProxyTrace {
  /** `traceparent` for the upstream request (none while tracing is off: the client's, if any, passes through). */
  readonly headers: Record<string, string>;
  end(status: number, upstream: string): void;
}

const OFF: ProxyTrace = { headers: {}, end: () => undefined };

/** A `proxy <service>` span, child of the active context (the gateway's server span, or the client's traceparent). */
export function proxyTrace(service: string, method: string, parentTraceparent?: string): ProxyTrace {
  const span = startSpan(
    `proxy ${service}`,
    SPAN_KIND.client,
    { 'http.request.method': method, 'nestbase.upstream_service': service },
    parentTraceparent ? { tp: parentTraceparent } : undefined,
  );
  if (!span) {
    // off: nothing (the client's traceparent passes through); under an unsampled server span: its context, so
    // the service doesn't sample on its own
    const active = currentTraceparent();
    return active ? { headers: { traceparent: active }, end: () => undefined } : OFF;
  }
  const traceparent = currentTraceparent(span);
  return {
    headers: traceparent ? { traceparent } : {},
    end: (status, upstream) => {
      span.setAttribute('server.address', upstream);
      endSpan(span, status);
    },
  };
}
