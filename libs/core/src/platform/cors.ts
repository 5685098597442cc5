import type { FastifyInstance } from 'fastify';

/** What a preflight may use (PocketBase's CORS middleware allows these). */
const ALLOW_METHODS = 'GET, HEAD, PUT, PATCH, POST, DELETE';

/**
 * PocketBase's CORS, as `@fastify/cors` with `origin: true` and `strictPreflight: false` answered it, in one
 * callback hook that builds nothing per request (the plugin spread its options into a new object and made a
 * closure on every request):
 * - every answer: `Vary: Origin`, and `Access-Control-Allow-Origin` echoing a non-empty `Origin`;
 * - every OPTIONS request is a preflight, answered here (204, empty) before the rate limiter and the auth:
 *   `Access-Control-Allow-Methods`, `Vary: Origin, Access-Control-Request-Headers`, and the asked
 *   `Access-Control-Request-Headers` echoed as `Access-Control-Allow-Headers`.
 * The `OPTIONS *` route lets the router match any path, so a preflight never reaches the not-found handler.
 */
export function installCors(fastify: FastifyInstance): void {
  fastify.addHook('onRequest', (request, reply, done) => {
    const origin = request.headers.origin;
    const preflight = request.raw.method === 'OPTIONS';
    reply.header('Vary', preflight ? 'Origin, Access-Control-Request-Headers' : 'Origin');
    if (origin) {
      reply.header('Access-Control-Allow-Origin', origin);
    }
    if (!preflight) {
      done();
      return;
    }
    reply.header('Access-Control-Allow-Methods', ALLOW_METHODS);
    const asked = request.headers['access-control-request-headers'];
    if (asked !== undefined) {
      reply.header('Access-Control-Allow-Headers', asked);
    }
    void reply.code(204).header('Content-Length', '0').send();
  });
  fastify.route({
    method: 'OPTIONS',
    url: '*',
    handler: (_request, reply) => {
      void reply.send();
    },
  });
}
