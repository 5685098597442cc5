import { request as httpRequest } from 'node:http';

// A thin wrapper over the global `fetch`: the scenario tables speak HTTP only, so they can run
// against a standalone server or a distributed deployment alike.

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'HEAD' | 'OPTIONS';

export interface RequestOptions {
  /** object/array → JSON; string → sent raw (content-type from `headers`, default application/json); FormData/Uint8Array as is. */
  body?: unknown;
  headers?: Record<string, string>;
  /** Sent as the raw `Authorization` header (the SDK sends no `Bearer ` prefix). */
  token?: string;
  /** Send the path exactly as written (fetch resolves `/../` and `%2e%2e` segments before sending). */
  verbatim?: boolean;
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
 * libs/testing/src/suite-scheduler.ts) must not change its settings: the others would see them.
 */
function assertMayChangeSettings(method: HttpMethod, url: string): void {
  if (process.env.NB_TEST_PARALLEL === '1' && method !== 'GET' && /^\/api\/settings\/?(\?|$)/.test(url)) {
    throw new ApiError(
      `${method} ${url}: this file changes the settings of a server other files share while it runs; ` +
        'list it among the settings files of libs/testing/src/suite-files.ts',
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
      const init = { method, headers, body: payload, signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) };
      res = options.verbatim ? await verbatimFetch(this.baseUrl, url, init) : await fetch(this.baseUrl + url, init);
    } catch (err) {
      const cause = err instanceof Error && err.cause instanceof Error ? ` (${err.cause.message})` : '';
      const why =
        err instanceof Error && err.name === 'TimeoutError' ? `no answer within ${REQUEST_TIMEOUT_MS} ms` : '';
      throw new ApiError(
        `${method} ${url} failed: ${why || (err instanceof Error ? err.message : String(err))}${cause}`,
        { cause: err },
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

/** `fetch` for a request target sent as written: the body is encoded as fetch would, the path is left alone. */
async function verbatimFetch(
  baseUrl: string,
  path: string,
  init: { method: string; headers: Record<string, string>; body: RequestInit['body']; signal: AbortSignal },
): Promise<Response> {
  const encoded = new Request(baseUrl, { method: init.method, headers: init.headers, body: init.body });
  const body = init.body === undefined ? undefined : Buffer.from(await encoded.arrayBuffer());
  const headers = Object.fromEntries(encoded.headers);
  if (body !== undefined) {
    headers['content-length'] = String(body.length);
  }
  const base = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      { host: base.hostname, port: base.port, method: init.method, path, headers, signal: init.signal },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', reject);
        res.on('end', () => {
          const out = new Headers();
          for (const [key, value] of Object.entries(res.headers)) {
            for (const v of Array.isArray(value) ? value : value === undefined ? [] : [value]) {
              out.append(key, v);
            }
          }
          const status = res.statusCode ?? 0;
          const empty = status === 204 || status === 304 || init.method === 'HEAD';
          resolve(new Response(empty ? null : Buffer.concat(chunks), { status, headers: out }));
        });
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}
