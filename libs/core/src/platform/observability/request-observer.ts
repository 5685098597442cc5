import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { getRequestAuth } from '../../contracts/request-auth';
import { writeAccessLine } from './log';
import { newRequestId, REQUEST_ID_HEADER, runInContext, saneRequestId } from './request-context';
import { endSpan, SPAN_KIND, startSpan, traceContextOf, tracingOn, type Span } from './tracing';

const STATE = Symbol('nestbase.requestObservation');

interface Observation {
  readonly requestId: string;
  span: Span | undefined;
  /** Someone else writes this request's access-log line (the gateway's proxy). */
  ownLog: boolean;
  /** `performance.now()` when it arrived (an upgrade's `ms`: a hijacked reply has no elapsed time). */
  readonly started: number;
}

type Observed = FastifyRequest & { [STATE]?: Observation };

/** The request id of `request` (taken from `X-Request-Id` or made up when it arrived). */
export function requestIdOf(request: FastifyRequest): string {
  return (request as Observed)[STATE]?.requestId ?? '';
}

/** The request's access-log line is written elsewhere (the gateway logs what it proxies itself). */
export function skipAccessLog(request: FastifyRequest): void {
  const state = (request as Observed)[STATE];
  if (state) {
    state.ownLog = true;
  }
}

/**
 * Every request of a process: its id (the client's sane `X-Request-Id` or a new one, echoed on the response),
 * the handler run in its context (what it logs, publishes and queues carries the id), one access-log line when
 * it ends (method, url, route template, status, ms, auth id), and with tracing a server span, child of the
 * caller's `traceparent`, around it.
 */
export function observeRequests(fastify: FastifyInstance, requestContext: boolean): void {
  const tracing = tracingOn();
  fastify.addHook('onRequest', (request, reply, done) => {
    const requestId = saneRequestId(request.headers[REQUEST_ID_HEADER]) ?? newRequestId();
    reply.header(REQUEST_ID_HEADER, requestId);
    const headers = request.headers;
    // probes (the gateway asks every upstream every few seconds): an id, but neither a span nor a log line
    const probe = request.url === '/readyz' || request.url === '/healthz';
    const span =
      tracing && !probe
        ? startSpan(
            `${request.method} ${request.routeOptions.url ?? ''}`.trim(),
            SPAN_KIND.server,
            {
              'http.request.method': request.method,
              'url.path': request.url.split('?')[0],
              'nestbase.request_id': requestId,
            },
            // a caller's trace context, if it sent one (none: a root, and nothing to parse)
            typeof headers.traceparent === 'string'
              ? { tp: headers.traceparent, ts: headers.tracestate as string | undefined }
              : undefined,
          )
        : undefined;
    (request as Observed)[STATE] = { requestId, span, ownLog: probe, started: performance.now() };
    done();
  });
  // From here on (body parsed) the route's code runs in the request's context (NB_REQUEST_CONTEXT, see its cost).
  if (requestContext || tracing) {
    fastify.addHook('preHandler', (request, _reply, done) => {
      const state = (request as Observed)[STATE];
      if (!state) {
        done();
        return;
      }
      // one context for both: the request id and (tracing on) the server span active
      runInContext({ requestId: state.requestId, trace: traceContextOf(state.span) }, done);
    });
  }
  fastify.addHook('onResponse', (request, reply, done) => {
    const state = (request as Observed)[STATE];
    if (state) {
      finish(request, reply, state);
    }
    done();
  });
}

/**
 * A WebSocket upgrade, once its handler took the socket (the reply is hijacked: Fastify's `onResponse` never
 * comes): ends its span and writes its access line, status 101, `authId` as the socket authenticated.
 */
export function finishUpgrade(request: FastifyRequest, authId?: string): void {
  const state = (request as Observed)[STATE];
  if (state) {
    finish(request, { statusCode: 101, elapsedTime: performance.now() - state.started }, state, authId);
    state.span = undefined;
    state.ownLog = true;
  }
}

function finish(
  request: FastifyRequest,
  reply: Pick<FastifyReply, 'statusCode' | 'elapsedTime'>,
  state: Observation,
  upgradeAuthId?: string,
): void {
  const route = request.routeOptions.url;
  const status = reply.statusCode;
  if (state.span) {
    if (route) {
      state.span.updateName(`${request.method} ${route}`);
      state.span.setAttribute('http.route', route);
    }
    endSpan(state.span, status);
  }
  if (state.ownLog) {
    return;
  }
  const auth = getRequestAuth(request);
  writeAccessLine(
    {
      reqId: state.requestId,
      method: request.method,
      url: request.url,
      route,
      status,
      ms: Math.round(reply.elapsedTime * 10) / 10,
      authId: upgradeAuthId ?? (typeof auth?.record.id === 'string' ? auth.record.id : undefined),
      ip: request.ip,
    },
    'request',
  );
}
