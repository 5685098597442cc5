// Every route of the HTTP API, as the route fuzzer (test/e2e/fuzz-routes.e2e-spec.ts) walks them. The
// controller routes are checked against the Nest metadata of the standalone app by
// apps/standalone/src/route-list.spec.ts, so a route added without a line here fails the unit tier.

export type RouteMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface RouteTemplate {
  method: RouteMethod;
  /** Path with Nest's `:param` placeholders. */
  path: string;
}

const route = (spec: string): RouteTemplate => {
  const [method, path] = spec.split(' ');
  return { method: method as RouteMethod, path };
};

/** The routes of the Nest controllers of `nestbase serve` (the standalone app). */
export const CONTROLLER_ROUTES: readonly RouteTemplate[] = [
  // records
  'GET /api/collections/:collection/records',
  'GET /api/collections/:collection/records/:id',
  'POST /api/collections/:collection/records',
  'PATCH /api/collections/:collection/records/:id',
  'DELETE /api/collections/:collection/records/:id',
  'POST /api/batch',
  // collections
  'GET /api/collections',
  'GET /api/collections/meta/scaffolds',
  'POST /api/collections/meta/view-preview',
  'PUT /api/collections/import',
  'GET /api/collections/:collection',
  'POST /api/collections',
  'PATCH /api/collections/:collection',
  'DELETE /api/collections/:collection',
  'DELETE /api/collections/:collection/truncate',
  // auth
  'GET /api/collections/:collection/auth-methods',
  'POST /api/collections/:collection/auth-with-password',
  'POST /api/collections/:collection/auth-refresh',
  'POST /api/collections/:collection/auth-anonymously',
  'POST /api/collections/:collection/auth-with-oauth2',
  'POST /api/collections/:collection/request-otp',
  'POST /api/collections/:collection/auth-with-otp',
  'POST /api/collections/:collection/request-password-reset',
  'POST /api/collections/:collection/confirm-password-reset',
  'POST /api/collections/:collection/request-verification',
  'POST /api/collections/:collection/confirm-verification',
  'POST /api/collections/:collection/request-email-change',
  'POST /api/collections/:collection/confirm-email-change',
  'POST /api/collections/:collection/impersonate/:id',
  'GET /api/collections/meta/oauth2-providers',
  'GET /api/oauth2-redirect',
  'POST /api/oauth2-redirect',
  'POST /api/users',
  'POST /api/users/auth-via-email',
  // files
  'POST /api/files/token',
  'GET /api/files/:collection/:recordId/:filename',
  // realtime
  'POST /api/realtime',
  'GET /api/_internal/collections',
  'POST /api/_internal/collections/since',
  'POST /api/_internal/auth-records',
  'POST /api/_internal/rule-check',
  'POST /api/_internal/render',
  'POST /api/_internal/logs',
  'GET /api/_internal/log-policy',
  'POST /api/_internal/upload-journal/sweep',
  // settings, logs, backups, crons, health
  'GET /api/settings',
  'PATCH /api/settings',
  'POST /api/settings/test/email',
  'POST /api/settings/test/s3',
  'POST /api/settings/apple/generate-client-secret',
  'GET /api/logs',
  'GET /api/logs/stats',
  'GET /api/logs/:id',
  'DELETE /api/logs',
  'GET /api/backups',
  'POST /api/backups',
  'POST /api/backups/upload',
  'GET /api/backups/:key',
  'DELETE /api/backups/:key',
  'POST /api/backups/:key/restore',
  'GET /api/crons',
  'POST /api/crons/:id',
  'GET /api/health',
  'GET /api/jobs/:name',
  // API documentation
  'GET /api/openapi.json',
  'GET /api/docs',
  'GET /api/docs/init.js',
  'GET /api/docs/:name',
].map(route);

/**
 * Routes registered on Fastify directly, outside the controllers: the probes, and the realtime stream (its GET
 * opens an SSE stream that never ends; the fuzzer sends it only with a method that gets an answer).
 */
export const FASTIFY_ROUTES: readonly RouteTemplate[] = ['GET /healthz', 'GET /readyz', 'GET /api/realtime'].map(route);

export const ROUTES: readonly RouteTemplate[] = [...CONTROLLER_ROUTES, ...FASTIFY_ROUTES];
