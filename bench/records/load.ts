import * as http from 'node:http';

/** One request the load generator sends; `body` is JSON-encoded. */
export interface LoadRequest {
  method: 'GET' | 'POST' | 'PATCH';
  path: string;
  headers?: Record<string, string>;
  body?: unknown;
}

export interface LoadOptions {
  port: number;
  concurrency: number;
  durationMs: number;
  /** Hard cap on requests, so a run stays bounded even against a very fast server. */
  maxRequests: number;
  /** Builds the n-th request (n counts from 0 across all connections). */
  next: (n: number) => LoadRequest;
}

export interface LoadResult {
  requests: number;
  errors: number;
  /** First non-2xx status and a short body excerpt, to tell what failed. */
  firstError: string | null;
  elapsedMs: number;
  rps: number;
  p50Ms: number;
  p99Ms: number;
  /** CPU the load generator itself used, in % of one core: near 100 means it, not the server, is the limit. */
  clientCpuPct: number;
}

interface Reply {
  status: number;
  body: string;
}

function send(agent: http.Agent, port: number, req: LoadRequest): Promise<Reply> {
  const payload = req.body === undefined ? undefined : JSON.stringify(req.body);
  const headers: Record<string, string | number> = { ...req.headers };
  if (payload !== undefined) {
    headers['content-type'] = 'application/json';
    headers['content-length'] = Buffer.byteLength(payload);
  }
  return new Promise((resolve, reject) => {
    const r = http.request({ host: '127.0.0.1', port, method: req.method, path: req.path, headers, agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    r.setTimeout(30_000, () => r.destroy(new Error('request timed out')));
    r.on('error', reject);
    r.end(payload);
  });
}

/** One request, outside a load run: for setup calls. Throws on a non-2xx status. */
export async function call<T>(port: number, req: LoadRequest): Promise<T> {
  const agent = new http.Agent({ keepAlive: false });
  try {
    const reply = await send(agent, port, req);
    if (reply.status < 200 || reply.status > 299) {
      throw new Error(`${req.method} ${req.path} -> ${reply.status} ${reply.body.slice(0, 300)}`);
    }
    return (reply.body ? JSON.parse(reply.body) : null) as T;
  } finally {
    agent.destroy();
  }
}

function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) {
    return 0;
  }
  const index = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return sorted[Math.max(0, index)];
}

/**
 * Closed-loop load: `concurrency` keep-alive connections, each sending its next request as soon as
 * the previous answer arrives, until `durationMs` passes or `maxRequests` are sent.
 */
export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  const agent = new http.Agent({
    keepAlive: true,
    maxSockets: options.concurrency,
    maxFreeSockets: options.concurrency,
  });
  const latencies = new Float64Array(options.maxRequests);
  let issued = 0;
  let done = 0;
  let errors = 0;
  let firstError: string | null = null;
  const started = process.hrtime.bigint();
  const cpu0 = process.cpuUsage();
  const deadline = started + BigInt(Math.round(options.durationMs * 1e6));

  const worker = async (): Promise<void> => {
    while (issued < options.maxRequests && process.hrtime.bigint() < deadline) {
      const req = options.next(issued++);
      const t0 = process.hrtime.bigint();
      try {
        const reply = await send(agent, options.port, req);
        if (reply.status < 200 || reply.status > 299) {
          errors++;
          firstError ??= `${req.method} ${req.path} -> ${reply.status} ${reply.body.slice(0, 200)}`;
        }
      } catch (error) {
        errors++;
        firstError ??= `${req.method} ${req.path} -> ${(error as Error).message}`;
      }
      latencies[done++] = Number(process.hrtime.bigint() - t0) / 1e6;
    }
  };

  await Promise.all(Array.from({ length: options.concurrency }, () => worker()));
  const elapsedMs = Number(process.hrtime.bigint() - started) / 1e6;
  const cpu = process.cpuUsage(cpu0);
  agent.destroy();
  const sorted = latencies.slice(0, done).sort();
  return {
    requests: done,
    errors,
    firstError,
    elapsedMs,
    rps: done / (elapsedMs / 1000),
    p50Ms: percentile(sorted, 50),
    p99Ms: percentile(sorted, 99),
    clientCpuPct: ((cpu.user + cpu.system) / 1000 / elapsedMs) * 100,
  };
}
