type Env = Record<string, string | undefined>;

/** Logs and traces of a process (`NB_LOG_FORMAT`, `NB_ACCESS_LOG`, the standard `OTEL_*` variables). */
export interface ObservabilityConfig {
  /** `json` (one object a line, the default when stdout isn't a terminal) or `pretty` (for a terminal). */
  readonly logFormat: 'json' | 'pretty';
  /** One access-log line per request in every process (`NB_ACCESS_LOG`, default on; independent of NB_LOG_LEVEL). */
  readonly accessLog: boolean;
  /**
   * OpenTelemetry traces: on when `OTEL_TRACES_EXPORTER` names an exporter other than `none`, or an OTLP endpoint
   * is set (`OTEL_EXPORTER_OTLP_ENDPOINT`, `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT`); off with `OTEL_SDK_DISABLED=true`.
   * The SDK itself reads the rest of `OTEL_*`. Off: no OpenTelemetry module is loaded at all.
   */
  readonly tracing: boolean;
  /**
   * Which span exporter: `otlp-json` (OTLP over HTTP with JSON bodies, the default) or `console`. Only these two
   * are installed (the trace SDK without `sdk-node`'s gRPC/protobuf/Zipkin exporters: ~170 MB less in the image);
   * another `OTEL_TRACES_EXPORTER` or `OTEL_EXPORTER_OTLP_PROTOCOL` is a configuration error.
   */
  readonly tracesExporter: 'otlp-json' | 'console';
  /** `OTEL_SERVICE_NAME` ('' : `nestbase-<service>`). */
  readonly serviceName: string;
  /**
   * Handlers run in the request's async context (`NB_REQUEST_CONTEXT`; default: on while tracing), so the app's
   * log lines, the events it publishes and the jobs it queues carry the request id (and trace). Off, the id is
   * still on the response, the access line and the gateway → service hop. It costs: on Node 20 an
   * AsyncLocalStorage turns on promise hooks for the whole process (~30–40 µs, 15–20 % of a record view).
   */
  readonly requestContext: boolean;
  /**
   * `NB_TRACE_MIN_MS` (default 1; 0: every span): the spans that may be left out are kept when they last at least
   * this long — an SQL read (`SELECT`; a quicker one is counted on the span it ran under: `nestbase.db.statements`,
   * `nestbase.db.time_ms`), and an in-process event's publish and receipt with nothing recorded beneath them.
   * Writes, a read worker's statements and everything else always get their span.
   */
  readonly traceMinMs: number;
  /** `OTEL_SPAN_ATTRIBUTE_VALUE_LENGTH_LIMIT` (else `OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT`; Infinity: none). */
  readonly traceValueLengthLimit: number;
}

/** NB_TRACE_MIN_MS's default (see ObservabilityConfig.traceMinMs). */
export const DEFAULT_TRACE_MIN_MS = 1;

/** The observability part of the configuration; `accessLog` is the already parsed `NB_ACCESS_LOG`. */
export function observabilityFromEnv(
  env: Env,
  accessLog: boolean,
  stdoutIsTty: boolean,
  problems: string[],
): ObservabilityConfig {
  const format = (env.NB_LOG_FORMAT ?? '').toLowerCase() || (stdoutIsTty ? 'pretty' : 'json');
  if (format !== 'json' && format !== 'pretty') {
    problems.push(`NB_LOG_FORMAT must be json or pretty, got "${env.NB_LOG_FORMAT}"`);
  }
  const exporters = (env.OTEL_TRACES_EXPORTER ?? '')
    .split(',')
    .map((name) => name.trim().toLowerCase())
    .filter((name) => name !== '');
  const endpoint = (env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT ?? env.OTEL_EXPORTER_OTLP_ENDPOINT ?? '') !== '';
  const disabled = ['1', 'true'].includes((env.OTEL_SDK_DISABLED ?? '').toLowerCase());
  const named = exporters.length > 0 && !exporters.includes('none');
  const protocol = env.OTEL_EXPORTER_OTLP_TRACES_PROTOCOL ?? env.OTEL_EXPORTER_OTLP_PROTOCOL ?? 'http/json';
  const tracing = !disabled && (named || (exporters.length === 0 && endpoint));
  const context = (env.NB_REQUEST_CONTEXT ?? '').toLowerCase();
  if (!['', 'true', 'false', '1', '0'].includes(context)) {
    problems.push(`NB_REQUEST_CONTEXT must be true or false, got "${env.NB_REQUEST_CONTEXT}"`);
  }
  const minMs = Number(env.NB_TRACE_MIN_MS || DEFAULT_TRACE_MIN_MS);
  if (!Number.isFinite(minMs) || minMs < 0) {
    problems.push(`NB_TRACE_MIN_MS must be a number of milliseconds >= 0, got "${env.NB_TRACE_MIN_MS}"`);
  }
  const valueLimit = Number(env.OTEL_SPAN_ATTRIBUTE_VALUE_LENGTH_LIMIT || env.OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT || NaN);
  const only = exporters.length === 1 ? exporters[0] : exporters.length === 0 ? 'otlp' : '';
  if (tracing && only !== 'console' && !(only === 'otlp' && protocol === 'http/json')) {
    problems.push(
      `traces export with OTEL_TRACES_EXPORTER=otlp and OTEL_EXPORTER_OTLP_PROTOCOL=http/json (the default) or ` +
        `OTEL_TRACES_EXPORTER=console; got "${env.OTEL_TRACES_EXPORTER ?? ''}" over "${protocol}"`,
    );
  }
  return {
    logFormat: format === 'pretty' ? 'pretty' : 'json',
    accessLog,
    tracing,
    tracesExporter: only === 'console' ? 'console' : 'otlp-json',
    serviceName: env.OTEL_SERVICE_NAME ?? '',
    requestContext: context === '' ? tracing : context === 'true' || context === '1',
    traceMinMs: Number.isFinite(minMs) && minMs >= 0 ? minMs : DEFAULT_TRACE_MIN_MS,
    traceValueLengthLimit: Number.isInteger(valueLimit) && valueLimit >= 0 ? valueLimit : Infinity,
  };
}
