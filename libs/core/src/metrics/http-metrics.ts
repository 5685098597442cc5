import { timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AppConfig } from '../config/app-config';
import { ForbiddenError, UnauthorizedError } from '../errors/api-error';
import { toEnvelope } from '../platform/api-error.filter';
import type { HistogramChild } from './instruments';
import { metrics } from './metrics-registry';
import { NB_METRICS } from './nb-metrics';

/** The path every process answers itself (the gateway never proxies it: it isn't under /api). */
export const METRICS_PATH = '/metrics';

/** Requests that matched no route share one label value (unbounded URLs would make unbounded series). */
const UNMATCHED = '(unmatched)';
/**
 * Routes whose answers don't go through Fastify's send (hijacked: the SSE stream, the gateway's streaming proxy
 * route) aren't counted in flight (they would stay there), nor timed: an SSE client would be a stuck request for
 * hours. The gateway's proxied requests have their own histogram (nb_gateway_upstream_duration_seconds).
 */
const UNSENT = new Set(['/api/realtime', '/api', '/api/*']);
const IN_FLIGHT = Symbol('nb.metrics.inFlight');
const ROUTE = Symbol('nb.metrics.route');
const STARTED = Symbol('nb.metrics.started');

type Tracked = FastifyRequest & { [IN_FLIGHT]?: boolean; [ROUTE]?: string; [STARTED]?: number };

/**
 * `GET /metrics` (Prometheus text) and the HTTP metrics of this app: the duration histogram by method, route
 * template and status, and the requests in flight. Children are bound once per (method, route, status), so a
 * request costs a map lookup and a few additions. With `NB_METRICS_TOKEN` the endpoint wants it as a bearer
 * token (401 without one, 403 for another, in PocketBase's envelope).
 */
export function installMetrics(fastify: FastifyInstance, config: AppConfig): void {
  if (!config.metrics.enabled) {
    return;
  }
  const expected = config.metrics.token ? Buffer.from(`Bearer ${config.metrics.token}`) : null;
  fastify.route({
    method: 'GET',
    url: METRICS_PATH,
    handler: async (request, reply) => {
      if (expected) {
        const given = request.headers.authorization;
        if (!given) {
          return reply.status(401).send(toEnvelope(new UnauthorizedError('The metrics token is missing.')));
        }
        const bytes = Buffer.from(given);
        if (bytes.length !== expected.length || !timingSafeEqual(bytes, expected)) {
          return reply.status(403).send(toEnvelope(new ForbiddenError('The metrics token is not valid.')));
        }
      }
      const text = await metrics.render();
      return reply
        .header('content-type', 'text/plain; version=0.0.4; charset=utf-8')
        .header('cache-control', 'no-store')
        .send(text);
    },
  });
  const inFlight = NB_METRICS.httpInFlight.labels();
  const children = new Map<string, HistogramChild>();
  const childFor = (method: string, route: string, status: number): HistogramChild => {
    const key = `${status}${method}${route}`;
    let child = children.get(key);
    if (!child) {
      child = NB_METRICS.httpDuration.labels(method, route, String(status));
      children.set(key, child);
    }
    return child;
  };
  // Two callback hooks, no per-request listener: Fastify adds 'finish'/'close' listeners to every request once
  // an onResponse or onRequestAbort hook exists, which cost more than the metrics themselves. The duration is
  // taken when the answer is handed to Node (onSend): handler and serialization, not the socket's write.
  fastify.addHook('onRequest', (request: Tracked, _reply, done) => {
    // routeOptions builds an object on each read: read it once per request.
    const url = request.routeOptions.url ?? UNMATCHED;
    request[ROUTE] = url;
    request[STARTED] = performance.now();
    if (!UNSENT.has(url)) {
      request[IN_FLIGHT] = true;
      inFlight.inc();
    }
    done();
  });
  fastify.addHook('onSend', (request: Tracked, reply, payload, done) => {
    if (request[IN_FLIGHT]) {
      request[IN_FLIGHT] = false;
      inFlight.dec();
    }
    const started = request[STARTED];
    if (started !== undefined) {
      request[STARTED] = undefined;
      childFor(request.method, request[ROUTE] ?? UNMATCHED, reply.statusCode).observe(
        (performance.now() - started) / 1000,
      );
    }
    done(null, payload);
  });
}
