import { timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyRequest, onRequestHookHandler } from 'fastify';
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
type Tracked = FastifyRequest & { nbRouteMetrics: RouteMetrics | null; nbStarted: number };

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
  const inFlight = NB_METRICS.httpInFlight.labels();
  const unmatched = new RouteMetrics(UNMATCHED);
  // Per-request state declared up front (a stable request shape), the route's metrics bound when it is
  // registered (no routeOptions read per request: it builds an object each time).
  fastify.decorateRequest('nbRouteMetrics', null);
  fastify.decorateRequest('nbStarted', 0);
  fastify.addHook('onRoute', (route) => {
    const metrics = new RouteMetrics(route.url);
    const bind: onRequestHookHandler = (request, _reply, done) => {
      const tracked = request as Tracked;
      tracked.nbRouteMetrics = metrics;
      if (metrics.unsent) {
        // Hijacked answers (the SSE stream, the gateway's streaming route) never reach onSend: not counted.
        tracked.nbStarted = 0;
        inFlight.dec();
      }
      done();
    };
    route.onRequest = route.onRequest ? [bind, ...[route.onRequest].flat()] : bind;
  });
  // Two callback hooks, no per-request listener: Fastify adds 'finish'/'close' listeners to every request once
  // an onResponse or onRequestAbort hook exists, which cost more than the metrics themselves. The duration is
  // taken when the answer is handed to Node (onSend): handler and serialization, not the socket's write.
  fastify.addHook('onRequest', (request, _reply, done) => {
    (request as Tracked).nbStarted = performance.now();
    inFlight.inc();
    done();
  });
  fastify.addHook('onSend', (request, reply, payload, done) => {
    const tracked = request as Tracked;
    if (tracked.nbStarted !== 0) {
      const metrics = tracked.nbRouteMetrics ?? unmatched;
      inFlight.dec();
      metrics.child(request.method, reply.statusCode).observe((performance.now() - tracked.nbStarted) / 1000);
      tracked.nbStarted = 0;
    }
    done(null, payload);
  });
  // After the onRoute hook: /metrics is counted under its own route.
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
}

/** One route's histogram children, by status and method, bound on first use. */
class RouteMetrics {
  readonly unsent: boolean;
  private readonly children = new Map<number, Map<string, HistogramChild>>();

  constructor(readonly route: string) {
    this.unsent = UNSENT.has(route);
  }

  child(method: string, status: number): HistogramChild {
    let byMethod = this.children.get(status);
    if (!byMethod) {
      byMethod = new Map();
      this.children.set(status, byMethod);
    }
    let child = byMethod.get(method);
    if (!child) {
      child = NB_METRICS.httpDuration.labels(method, this.route, String(status));
      byMethod.set(method, child);
    }
    return child;
  }
}
