/** The request a hook point fired by a lib (not a route) was made with. */
export interface HookRequestLike {
  method: string;
  query: Record<string, string>;
  headers: Record<string, string>;
  context: string;
  ip?: string;
}

/**
 * What a hook point's event has of PocketBase's request event: `e.request` (`method`, `header.get`,
 * `url.query().get`), `e.requestInfo()` (headers as PocketBase names them: lower case, `_` for `-`), `e.realIP()`.
 */
export function hookRequestFields(req: HookRequestLike, body: Record<string, unknown>) {
  // a record request's headers are named as the rules read them already (`user_agent`); both forms are accepted
  const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [pbName(k), v]));
  return {
    request: {
      method: req.method,
      header: { get: (name: string) => headers[pbName(name)] ?? '' },
      url: { query: () => ({ get: (k: string) => req.query[k] ?? '', has: (k: string) => k in req.query }) },
      remoteAddr: req.ip ?? '',
    },
    requestInfo(this: { auth?: unknown }) {
      return { method: req.method, query: req.query, headers, body, auth: this.auth ?? null, context: req.context };
    },
    realIP: () => req.ip ?? '',
  };
}

/** A header name as PocketBase's `requestInfo().headers` has it: lower case, `_` for `-`. */
const pbName = (name: string) => name.toLowerCase().replace(/-/g, '_');
