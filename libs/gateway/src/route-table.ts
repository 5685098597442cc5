import type { UpstreamService } from '@lib/core';

/** Where the gateway sends a request: a service, or nowhere (`blocked`: the services' internal API). */
export type Route = UpstreamService | 'blocked';

// One pattern per service, tried in order; whatever else is under /api goes to records (collections,
// records, batch, settings, health, custom hook routes).
const COLLECTION_AUTH =
  /^\/api\/collections\/[^/?]+\/(?:auth-[^/?]+|request-[^/?]+|confirm-[^/?]+|impersonate\/[^/?]+)(?:\/|$)/;
const OAUTH2_PROVIDERS = /^\/api\/collections\/meta\/oauth2-providers(?:\/|$)/;
const RULES: readonly [RegExp, Route][] = [
  [/^\/api\/_internal(?:\/|$)/, 'blocked'],
  [/^\/api\/realtime(?:\/|$)/, 'realtime'],
  [/^\/api\/files(?:\/|$)/, 'files'],
  [/^\/api\/settings\/test\/s3(?:\/|$)/, 'files'],
  [/^\/api\/settings\/test\/email(?:\/|$)/, 'auth'],
  [/^\/api\/settings\/apple\/generate-client-secret(?:\/|$)/, 'auth'],
  [COLLECTION_AUTH, 'auth'],
  [OAUTH2_PROVIDERS, 'auth'],
  [/^\/api\/oauth2-redirect(?:\/|$)/, 'auth'],
  [/^\/api\/users(?:\/|$)/, 'auth'],
];

/** True for the URLs the gateway proxies (everything under `/api`). */
export function isApiUrl(url: string): boolean {
  return url === '/api' || url.startsWith('/api/') || url.startsWith('/api?');
}

/**
 * The service that serves `url` (a request target: path and query). The path is matched percent-decoded,
 * as the services' router matches it, so `/api/%5Finternal` is blocked like `/api/_internal`.
 */
export function routeFor(url: string): Route {
  const query = url.indexOf('?');
  let path = query === -1 ? url : url.slice(0, query);
  if (path.includes('%')) {
    try {
      path = decodeURIComponent(path);
    } catch {
      return 'records';
    }
  }
  if (path.startsWith('/api/collections/')) {
    // The hot prefix: only the two collection rules can match it.
    return COLLECTION_AUTH.test(path) || OAUTH2_PROVIDERS.test(path) ? 'auth' : 'records';
  }
  for (const [pattern, route] of RULES) {
    if (pattern.test(path)) {
      return route;
    }
  }
  return 'records';
}
