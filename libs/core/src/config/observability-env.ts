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
   * Which span exporter: `otlp-json` (OTLP over HTTP with JSON bodies, the default: the protobuf encoder isn't
   * installed), `console`, or `sdk` (another `OTEL_TRACES_EXPORTER`/`OTEL_EXPORTER_OTLP_PROTOCOL`: the SDK picks).
   */
  readonly tracesExporter: 'otlp-json' | 'console' | 'sdk';
  /** `OTEL_SERVICE_NAME` ('' : `nestbase-<service>`). */
  readonly serviceName: string;
}

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
  const only = exporters.length === 1 ? exporters[0] : exporters.length === 0 ? 'otlp' : '';
  return {
    logFormat: format === 'pretty' ? 'pretty' : 'json',
    accessLog,
    tracing: !disabled && (named || (exporters.length === 0 && endpoint)),
    tracesExporter: only === 'console' ? 'console' : only === 'otlp' && protocol === 'http/json' ? 'otlp-json' : 'sdk',
    serviceName: env.OTEL_SERVICE_NAME ?? '',
  };
}
