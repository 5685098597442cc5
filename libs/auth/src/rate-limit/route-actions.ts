/**
 * The collection routes and their PocketBase rate-limit actions: `<collection>:<action>` and `*:<action>` rule
 * labels match them (apis/record_crud.go, record_auth.go, file.go). Routes not listed here match only the path
 * labels (`METHOD /path`, `/path/` prefixes). `own`: the route has its own limiter in place of the global one
 * (PocketBase binds `collectionPathRateLimit` under the global middleware's id); record CRUD checks both.
 */
export interface RouteAction {
  /** The route parameter naming the collection, or a fixed collection (the tutorial's `users`). */
  collectionParam?: string;
  collectionName?: string;
  tags: readonly string[];
  own: boolean;
  /** The route whose counters this one shares (a tutorial endpoint counts with its modern equivalent). */
  sameAs?: string;
}

const C = '/api/collections/:collection';
const crud = (tag: string): RouteAction => ({ collectionParam: 'collection', tags: [tag], own: false });
const own = (...tags: string[]): RouteAction => ({ collectionParam: 'collection', tags, own: true });

const ROUTE_ACTIONS = new Map<string, RouteAction>([
  [`GET ${C}/records`, crud('list')],
  [`GET ${C}/records/:id`, crud('view')],
  [`POST ${C}/records`, crud('create')],
  [`PATCH ${C}/records/:id`, crud('update')],
  [`DELETE ${C}/records/:id`, crud('delete')],
  [`GET ${C}/auth-methods`, own('listAuthMethods')],
  [`POST ${C}/auth-refresh`, own('authRefresh')],
  [`POST ${C}/auth-with-password`, own('authWithPassword', 'auth')],
  [`POST ${C}/auth-with-oauth2`, own('authWithOAuth2', 'auth')],
  [`POST ${C}/request-otp`, own('requestOTP')],
  [`POST ${C}/auth-with-otp`, own('authWithOTP', 'auth')],
  // nestbase's anonymous sign-in issues tokens like the other auth-with-* routes.
  [`POST ${C}/auth-anonymously`, own('authAnonymously', 'auth')],
  [`POST ${C}/request-password-reset`, own('requestPasswordReset')],
  [`POST ${C}/confirm-password-reset`, own('confirmPasswordReset')],
  [`POST ${C}/request-verification`, own('requestVerification')],
  [`POST ${C}/confirm-verification`, own('confirmVerification')],
  [`POST ${C}/request-email-change`, own('requestEmailChange')],
  [`POST ${C}/confirm-email-change`, own('confirmEmailChange')],
  ['GET /api/files/:collection/:recordId/:filename', own('file')],
  // The older tutorial's endpoints act on `users`: a record create and a password login.
  ['POST /api/users', { collectionName: 'users', tags: ['create'], own: false, sameAs: `POST ${C}/records` }],
  [
    'POST /api/users/auth-via-email',
    { collectionName: 'users', tags: ['authWithPassword', 'auth'], own: true, sameAs: `POST ${C}/auth-with-password` },
  ],
]);

/** The action of a request by its method and route pattern (`request.routeOptions.url`); HEAD is its GET. */
export function routeAction(method: string, pattern: string | undefined): RouteAction | undefined {
  if (!pattern) {
    return undefined;
  }
  return ROUTE_ACTIONS.get(`${method === 'HEAD' ? 'GET' : method} ${pattern}`);
}

/** Every listed route action (for the check that the settings accept each of their tags). */
export function allRouteActions(): RouteAction[] {
  return [...ROUTE_ACTIONS.values()];
}
