import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Server } from './processes';

/**
 * The observability switches the benches measure (BENCH_OBSERVABILITY, a comma list): each names a process
 * started with only that part on, beside one with everything off (`off`), so the cost of each is read off
 * against the same run's baseline.
 * - `logs`: JSON logs (NB_LOG_FORMAT=json) with the access log on (NB_ACCESS_LOG=true), stdout read and dropped;
 * - `metrics`: `GET /metrics` on (NB_METRICS=true) and scraped every BENCH_SCRAPE_MS (1000) while the load runs;
 * - `context`: the request context alone (NB_REQUEST_CONTEXT=true: handlers in an AsyncLocalStorage), what
 *   tracing turns on before any span — `tracing` minus `context` is the spans' own cost;
 * - `tracing`: OpenTelemetry on (OTLP/HTTP JSON to a receiver in the bench that reads and discards the spans;
 *   the SDK's default batching), which also turns the request context on (NB_REQUEST_CONTEXT's default);
 * - `all`: logs, metrics and tracing together.
 */
export type ObservabilityVariant = 'off' | 'logs' | 'metrics' | 'context' | 'tracing' | 'all';
const VARIANTS: ObservabilityVariant[] = ['off', 'logs', 'metrics', 'context', 'tracing', 'all'];

/** The variants BENCH_OBSERVABILITY asks for, `off` first (empty: none asked, `fallback` if given). */
export function observabilityVariants(raw: string | undefined, fallback = ''): ObservabilityVariant[] {
  const names = (raw ?? fallback)
    .split(',')
    .map((name) => name.trim())
    .filter((name) => name !== '');
  for (const name of names) {
    if (!VARIANTS.includes(name as ObservabilityVariant)) {
      throw new Error(`BENCH_OBSERVABILITY takes a comma list of ${VARIANTS.join(', ')}; got "${name}"`);
    }
  }
  return names.length === 0 ? [] : VARIANTS.filter((v) => v === 'off' || names.includes(v));
}

/** The environment of a process of `variant` (`otlpUrl`: the trace receiver's address). */
export function variantEnv(variant: ObservabilityVariant, otlpUrl: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!key.startsWith('OTEL_')) {
      env[key] = value;
    }
  }
  const on = (part: ObservabilityVariant) => variant === part || variant === 'all';
  env.NB_LOG_FORMAT = 'json';
  env.NB_ACCESS_LOG = on('logs') ? 'true' : 'false';
  env.NB_METRICS = on('metrics') ? 'true' : 'false';
  if (variant === 'context') {
    env.NB_REQUEST_CONTEXT = 'true';
  }
  if (on('tracing')) {
    env.OTEL_TRACES_EXPORTER = 'otlp';
    env.OTEL_EXPORTER_OTLP_ENDPOINT = otlpUrl;
  }
  return env;
}

/** Whether `variant`'s process answers `/metrics` (the scraper asks it). */
export function scraped(variant: ObservabilityVariant): boolean {
  return variant === 'metrics' || variant === 'all';
}

/** What the trace sink received from one sender (the first segment of the path its endpoint has). */
export interface SinkCount {
  bytes: number;
  spans: number;
}

/**
 * An OTLP/HTTP receiver that reads every request's body and answers 200 `{}` (the spans are counted, dropped).
 * `url` is the endpoint for one sender; `counts()` says what each received (bytes, spans: `"kind":` occurrences,
 * which only spans have) — a sender whose batch processor dropped spans under load sends fewer per request.
 */
export async function startTraceSink(): Promise<{
  url: string;
  bytes: () => number;
  counts: () => Map<string, SinkCount>;
  close: () => Promise<void>;
}> {
  let bytes = 0;
  const counts = new Map<string, SinkCount>();
  const server = http.createServer((request, response) => {
    const sender = decodeURIComponent((request.url ?? '').split('/')[1] ?? '');
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => {
      bytes += chunk.length;
      chunks.push(chunk);
    });
    request.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const count = counts.get(sender) ?? { bytes: 0, spans: 0 };
      count.bytes += body.length;
      count.spans += body.split('"kind":').length - 1;
      counts.set(sender, count);
      response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    bytes: () => bytes,
    counts: () => counts,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** Asks `GET /metrics` of `port` every `everyMs` until the returned function stops it and counts the 200s. */
export function scrapeWhile(port: number, everyMs: number): () => number {
  let answered = 0;
  const timer = setInterval(() => {
    http
      .get({ host: '127.0.0.1', port, path: '/metrics', agent: false }, (response) => {
        response.resume();
        response.on('end', () => (answered += response.statusCode === 200 ? 1 : 0));
      })
      .on('error', () => undefined);
  }, everyMs);
  return () => {
    clearInterval(timer);
    return answered;
  };
}

/** Reads a process's stdout and drops it (its log lines: the bench doesn't keep them). */
export function dropStdout(server: Server): void {
  server.child.stdout?.removeAllListeners('data');
  server.child.stdout?.resume();
}
