export {
  ApiError,
  BadRequestError,
  RawBodyError,
  ValidationFailed,
  UnauthorizedError,
  ForbiddenError,
  NotFoundError,
  PayloadTooLargeError,
  ServiceUnavailableError,
  fieldError,
} from './errors/api-error';
export type { FieldError, FieldErrors } from './errors/api-error';
export { echo, capEcho, MAX_ECHO_CHARS } from './errors/echo';
export { randomString, newRecordId, crc32 } from './ids';
export { isEmailAddress } from './email-address';
export { wellFormedJson } from './well-formed';
export { formatDate, nowAfter, nowString, normalizeDate } from './time';
export { Clock, SystemClock, SYSTEM_CLOCK } from './clock';
export {
  AppConfig,
  ConfigError,
  JOB_NAMES,
  loadConfig,
  loadProcessConfig,
  UPSTREAM_SERVICES,
} from './config/app-config';
export { hookEnv } from './config/hook-env';
export type { ConfigOverrides, GatewayConfig, HttpTimeouts, S3Config, UpstreamService } from './config/app-config';
export { createApp } from './platform/bootstrap';
export { heapAfterStart, workerHeap } from './platform/worker-heap';
export { MAX_HEADER_BYTES } from './platform/http-timeouts';
export type { AppOptions } from './platform/bootstrap';
export { ApiErrorFilter, toEnvelope } from './platform/api-error.filter';
export type { ErrorEnvelope } from './platform/api-error.filter';
export { BackupActivity, HealthController } from './platform/health.controller';
export { ReadinessCheck } from './platform/probes/readiness-check';
export { ProbesModule } from './platform/probes/probes.module';
export { ProbesService, READINESS_TIMEOUT_MS } from './platform/probes/probes.service';
export type { ProbeAnswer } from './platform/probes/probes.service';
export { readBody, UploadedFile } from './platform/request-body';
export type { ParsedBody } from './platform/request-body';
export { BodyLimits } from './platform/body-limits';
export { sniffMime, baseMime, SNIFF_BYTES } from './mime';
export { REQUEST_AUTH, getRequestAuth, hasRequestAuth, setRequestAuth } from './contracts/request-auth';
export { AUTH_FAILURE_ACTIONS, RATE_LIMIT_ACTIONS } from './contracts/rate-limit-labels';
export type { RequestAuth } from './contracts/request-auth';
export { getRequestError, setRequestError } from './contracts/request-error';
export type { RequestError } from './contracts/request-error';
export type { EventMap, RecordPayload, RealtimeSubscribeRequest } from './contracts/events';
export { HookPoints, fireHook } from './contracts/hook-points';
export type { HookTag } from './contracts/hook-points';
export { hookRequestFields } from './contracts/hook-request';
export type { HookRequestLike } from './contracts/hook-request';
export { SuperuserGuard } from './platform/superuser.guard';
export { INTERNAL_SECRET_HEADER, InternalSecretGuard } from './platform/internal-secret.guard';
export { RecordsServiceClient, recordsServiceUrls } from './platform/records-service.client';
export { queryValues, headerValues, intParam, boolParam, decodeUrlPart } from './platform/request-values';
export { ConfigModule } from './platform/config.module';
export { serve, ensureDataDir, makeDirs, UnusableDirError } from './platform/serve';
export { AppRestart, AppRestartModule } from './platform/app-restart';
export { exitOnStartFailure, runService } from './platform/run-service';
export { SERVICE_CLI, serviceUsage } from './platform/service-cli';
export type { ServiceName } from './platform/service-cli';
export type { ServiceRunner, ServiceSpec } from './platform/run-service';
export { DashboardInstaller, INSTALLER_EMAIL, INSTALLER_TOKEN_SECONDS } from './platform/dashboard-installer';
export { DASHBOARD_CSP } from './platform/dashboard-static';
export { realIp } from './platform/real-ip';
export { MAX_JSON_DEPTH, jsonTextTooDeep, valueTooDeep, isPlainObject } from './json-depth';
export { DependencyError, waitForDependency, waitForRedis, type DependencyWait } from './platform/dependencies';
export { AppLogSink } from './platform/app-log-sink';
export type { ObservabilityConfig } from './config/observability-env';
export {
  accessLog,
  appLog,
  configureLogging,
  flushLogs,
  logStarted,
  processServiceName,
  setProcessService,
  startupLog,
  writeAccessLine,
} from './platform/observability/log';
export { StructuredNestLogger } from './platform/observability/nest-logger';
export {
  currentRequestId,
  newRequestId,
  REQUEST_ID_HEADER,
  runInContext,
  saneRequestId,
} from './platform/observability/request-context';
export type { ContextCarrier, RequestContext } from './platform/observability/request-context';
export { finishUpgrade, requestIdOf, skipAccessLog } from './platform/observability/request-observer';
export { captureContext, joinCarrier, runFromCarrier, splitCarrier } from './platform/observability/propagation';
export {
  currentTraceparent,
  endSpan,
  inSpan,
  SPAN_KIND,
  spanWanted,
  startChildSpan,
  startSpan,
  startTracing,
  traced,
  tracingOn,
  withSpan,
} from './platform/observability/tracing';
export type { Attributes, Span } from './platform/observability/tracing';
export { recordingContext, recordSpan, tallyStatement, traceMinMs } from './platform/observability/statement-spans';
export type { AppLogWrite } from './platform/app-log-sink';
export { metrics, NB_METRICS, METRICS_PATH, installMetrics } from './metrics';
export type { Counter, Gauge, GaugeSource, Histogram, HistogramChild } from './metrics';
export type { MetricsConfig } from './config/metrics-env';
export type { UploadsConfig } from './config/uploads-env';
export { CUSTOM_ROUTES, CustomRoutes } from './contracts/custom-routes';
export type { CustomRoute } from './contracts/custom-routes';
