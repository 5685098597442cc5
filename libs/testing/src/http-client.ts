// A thin wrapper over the global `fetch`: the scenario tables speak HTTP only, so they can run
// against a standalone server or a distributed deployment alike.

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'HEAD' | 'OPTIONS';

export interface RequestOptions {
  /** object/array → JSON; string → sent raw (content-type from `headers`, default application/json); FormData/Uint8Array as is. */
  body?: unknown;
  headers?: Record<string, string>;
  /** Sent as the raw `Authorization` header (the SDK sends no `Bearer ` prefix). */
  token?: string;
}

export interface ApiResponse {
  status: number;
  headers: Headers;
  text: string;
  /** The parsed JSON body, or undefined when the body is empty or not JSON. */
  body: unknown;
  /** The parsed body cast to T, for state checks in `after` hooks. */
  json<T>(): T;
}

export class ApiError extends Error {}

// A hang catcher, not a speed limit: a busy machine may take many seconds for a heavy request.
const REQUEST_TIMEOUT_MS = 120_000;

/**
 * Files that run beside others against one shared server (`NB_TEST_PARALLEL=1`, see
 * test/distributed/support/suite-runner.ts) must not change its settings: the others would see them.
 */
function assertMayChangeSettings(method: HttpMethod, url: string): void {
  if (process.env.NB_TEST_PARALLEL === '1' && method !== 'GET' && /^\/api\/settings\/?(\?|$)/.test(url)) {
    throw new ApiError(
      `${method} ${url}: this file changes the settings of a server other files share while it runs; ` +
        'list it among the settings files of test/distributed/support/suite-runner.ts',
    );
  }
}

export class HttpClient {
  constructor(readonly baseUrl: string) {}

  async request(method: HttpMethod, url: string, options: RequestOptions = {}): Promise<ApiResponse> {
    assertMayChangeSettings(method, url);
    const headers: Record<string, string> = {};
    let payload: RequestInit['body'];
    const { body } = options;
    if (body instanceof FormData || body instanceof URLSearchParams) {
      payload = body;
    } else if (body instanceof Uint8Array) {
      headers['content-type'] = 'application/octet-stream';
      payload = body;
    } else if (typeof body === 'string') {
      headers['content-type'] = 'application/json';
      payload = body;
    } else if (body !== undefined) {
      headers['content-type'] = 'application/json';
      payload = JSON.stringify(body);
    }
    for (const [key, value] of Object.entries(options.headers ?? {})) {
      headers[key.toLowerCase()] = value;
    }
    if (options.token !== undefined && headers.authorization === undefined) {
      headers.authorization = options.token;
    }

    let res: Response;
    try {
      res = await fetch(this.baseUrl + url, {
        method,
        headers,
        body: payload,
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      });
    } catch (err) {
      const cause = err instanceof Error && err.cause instanceof Error ? ` (${err.cause.message})` : '';
      const why =
        err instanceof Error && err.name === 'TimeoutError' ? `no answer within ${REQUEST_TIMEOUT_MS} ms` : '';
      throw new ApiError(
        `${method} ${url} failed: ${why || (err instanceof Error ? err.message : String(err))}${cause}`,
      );
    }
    const text = await res.text();
    let parsed: unknown = undefined;
    if (text.length > 0) {
      try {
        parsed = JSON.parse(text) as unknown;
      } catch {
        parsed = undefined;
      }
    }
    return {
      status: res.status,
      headers: res.headers,
      text,
      body: parsed,
      json: <T>() => parsed as T,
    };
  }
}

/** Builds `?a=1&b=2` from a record (undefined values dropped). */
export function query(params: Record<string, string | number | boolean | undefined>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined) {
      search.set(key, String(value));
    }
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}
