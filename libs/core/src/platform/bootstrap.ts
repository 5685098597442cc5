import * as fs from 'node:fs';
import type { IncomingMessage } from 'node:http';
import * as path from 'node:path';
import { LogLevel, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import type { AppConfig } from '../config/app-config';
import { ApiErrorFilter, toEnvelope } from './api-error.filter';
import { BodyLimits } from './body-limits';
import { clientErrorHandler, serverTimeoutOptions, watchBodyRate } from './http-timeouts';
import { defaultDashboardDir, installDashboard } from './dashboard-static';
import { installBodyParsers } from './request-body';
import { installCors } from './cors';
import { parseQuery } from './request-values';
import { BadRequestError, PayloadTooLargeError, ServiceUnavailableError } from '../errors/api-error';
import { configureLogging, processServiceName } from './observability/log';
import { StructuredNestLogger } from './observability/nest-logger';
import { observeRequests } from './observability/request-observer';
import { flushTracing, startTracing } from './observability/tracing';
import { installMetrics } from '../metrics';

const CLOSING = 'The server is shutting down; try again.';
const BAD_URL = 'Invalid URL: malformed percent-encoding or invalid UTF-8 in the path.';

/** Consumes a request stream until its end, `maxBytes` or `maxMs`, whichever comes first. */
function responseTooLarge(max: number): BadRequestError {
  return new BadRequestError(
    `The response would be larger than the ${max} bytes allowed: ask for fewer records (perPage), fields or expand.`,
  );
}

/**
 * Reads (and drops) what a refused request's client is still sending, after its answer went out, up to
 * `maxBytes` or `maxMs`; then the socket is closed. Closing a socket with unread data sends a reset, which can
 * discard the answer before the client (the gateway, mid-way through a big body) has read it. The data listener
 * keeps Node from dumping the body itself (which drops listeners and reads without a limit).
 */
function lingerAfterAnswer(request: IncomingMessage, maxBytes: number, maxMs: number): void {
  if (request.complete) {
    return;
  }
  let seen = 0;
  const close = () => {
    clearTimeout(timer);
    request.removeAllListeners('data');
    request.socket?.destroy();
  };
  const timer = setTimeout(close, maxMs);
  timer.unref();
  request.on('data', (chunk: Buffer) => {
    seen += chunk.length;
    if (seen > maxBytes) {
      close();
    }
  });
  request.once('end', () => clearTimeout(timer));
  request.once('error', close);
}

const LEVELS: Record<AppConfig['logLevel'], LogLevel[]> = {
  silent: [],
  error: ['fatal', 'error'],
  warn: ['fatal', 'error', 'warn'],
  info: ['fatal', 'error', 'warn', 'log'],
  debug: ['fatal', 'error', 'warn', 'log', 'debug', 'verbose'],
};

/** Nest's logger: the process's structured log, at `NB_LOG_LEVEL`. */
function nestLogger(config: AppConfig): StructuredNestLogger {
  const logger = new StructuredNestLogger();
  logger.setLogLevels(LEVELS[config.logLevel]);
  return logger;
}

export interface AppOptions {
  /** Serve `config.publicDir` at `/` (the standalone app and the gateway do). */
  servePublicDir?: boolean;
  /** Serve the dashboard at `/_/` (default: as `servePublicDir`). */
  serveDashboard?: boolean;
  /** The app uses no data directory (a realtime process reading from the records service): don't create one. */
  withoutDataDir?: boolean;
}

/**
 * Creates a Nest application on Fastify with what every nestbase app shares: body parsers,
 * PocketBase's error envelope, security headers, CORS and shutdown hooks.
 */
export async function createApp(
  module: Type<unknown>,
  config: AppConfig,
  options: AppOptions = {},
): Promise<NestFastifyApplication> {
  const timeouts = config.http.timeouts;
  configureLogging(config);
  startTracing(config.observability, processServiceName());
  const adapter = new FastifyAdapter({
    bodyLimit: config.bodyLimit,
    logger: false,
    // No Nest middleware (MiddlewareConsumer) anywhere: without @fastify/middie a request skips its hook.
    skipMiddie: true,
    // Header, total-request, idle and keep-alive limits (SSE and WebSocket switch the idle one off).
    http: serverTimeoutOptions(timeouts),
    clientErrorHandler,
    connectionTimeout: timeouts.idleMs,
    keepAliveTimeout: timeouts.keepAliveMs,
    requestTimeout: timeouts.requestMs,
    // While closing, a request still arriving (pipelined, or on a busy keep-alive connection) gets the
    // envelope's 503 from the onRequest hook below, not Fastify's own body.
    return503OnClosing: false,
    routerOptions: { maxParamLength: 1000, querystringParser: parseQuery },
    // A malformed or over-long URL: the envelope, never Fastify's default answer quoting the whole URL.
    frameworkErrors: (error: FastifyError, _request: FastifyRequest, reply: FastifyReply) => {
      const known = error.code === 'FST_ERR_BAD_URL' ? new BadRequestError(BAD_URL) : error;
      void reply.status(error.statusCode ?? 400).send(toEnvelope(known));
    },
    // Behind the gateway: `request.ip` is the client the gateway saw (the last N X-Forwarded-For entries).
    ...(config.http.trustProxyHops > 0
      ? { trustProxy: (_address: string, hop: number) => hop < config.http.trustProxyHops }
      : {}),
  });
  const app = await NestFactory.create<NestFastifyApplication>(module, adapter, {
    logger: nestLogger(config),
    abortOnError: false,
    bodyParser: false,
  });
  const fastify = app.getHttpAdapter().getInstance();
  // A connection past the cap is closed on accept (before any parsing), every process and the gateway alike.
  fastify.server.maxConnections = config.http.maxConnections;
  installMetrics(fastify, config);
  const limits = app.get(BodyLimits, { strict: false });
  const limitFor = (request: FastifyRequest) => config.bodyLimit + limits.extraFor(request);
  // First: the request id, the context the handler runs in, the access log and the server span.
  observeRequests(fastify, config.observability.requestContext);
  fastify.addHook('onClose', (_instance, done) => void flushTracing().then(() => done()));
  await installBodyParsers(fastify, {
    bodyLimit: config.bodyLimit,
    tmpDir: path.join(config.dataDir, '.tmp'),
    limitFor,
  });
  let closing = false;
  fastify.addHook('preClose', (done) => {
    closing = true;
    done();
  });
  // Callback-style hooks: they run on every request, and an async hook costs a promise and its ticks.
  fastify.addHook('onRequest', (request, reply, done) => {
    if (closing) {
      void reply
        .header('connection', 'close')
        .status(503)
        .send(toEnvelope(new ServiceUnavailableError(CLOSING)));
      return;
    }
    // The idle timeout is for silent sockets, not for a request being answered: a slow handler isn't cut
    // (the body has its own rate check); it applies again from the response on (a client that stops reading).
    request.raw.socket?.setTimeout(0);
    watchBodyRate(request.raw, reply.raw, timeouts);
    const length = request.headers['content-length'];
    if (length === undefined || Number(length) <= limitFor(request)) {
      done();
      return;
    }
    // The limit may come from a collection another process just changed: measure again on fresh data.
    void limits
      .freshen()
      .catch(() => undefined)
      .then(() => {
        if (Number(length) <= limitFor(request)) {
          done();
          return;
        }
        // The 413 at once; then what the client is still sending is read and dropped (bounded), so it reads the
        // answer instead of a broken pipe, and the connection can serve its next request.
        lingerAfterAnswer(request.raw, config.bodyLimit * 2, 5000);
        void reply.status(413).send(toEnvelope(new PayloadTooLargeError()));
      });
  });
  const maxResponse = config.cost.maxResponseBytes;
  fastify.addHook('onSend', (_request, reply, payload, done) => {
    reply.raw.socket?.setTimeout(timeouts.idleMs);
    if (typeof payload === 'string' && payload.length > maxResponse / 4 && Buffer.byteLength(payload) > maxResponse) {
      // An answer past the limit (e.g. a list of big records): a 400 saying how to ask for less, not the answer.
      reply.status(400).header('content-type', 'application/json; charset=utf-8');
      payload = JSON.stringify(toEnvelope(responseTooLarge(maxResponse)));
    }
    reply.header('X-XSS-Protection', '1; mode=block');
    reply.header('X-Content-Type-Options', 'nosniff');
    if (!reply.hasHeader('content-disposition')) {
      // Dropped on file downloads, as PocketBase does (they carry their own CSP sandbox).
      reply.header('X-Frame-Options', 'SAMEORIGIN');
    }
    done(null, payload);
  });
  // After the shutdown 503, before the rate limiter and the routes' guards (a preflight is answered here).
  installCors(fastify);
  if (options.serveDashboard ?? options.servePublicDir) {
    installDashboard(fastify, { distDir: defaultDashboardDir(), dataDir: config.dataDir });
  }
  if (options.servePublicDir && fs.existsSync(config.publicDir)) {
    app.useStaticAssets({ root: config.publicDir, prefix: '/', wildcard: true });
  }
  app.useGlobalFilters(new ApiErrorFilter());
  return app;
}
