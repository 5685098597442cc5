import type * as http from 'node:http';
import type { Duplex } from 'node:stream';
import { Injectable, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import {
  AppConfig,
  BodyLimits,
  flushLogs,
  newRequestId,
  REQUEST_ID_HEADER,
  requestIdOf,
  saneRequestId,
  skipAccessLog,
} from '@lib/core';
import { writeAccessLog, type AccessLogEntry } from './access-log';
import { proxyTrace } from './proxy-trace';
import { EdgeRateLimit } from './edge-rate-limit';
import { FastPath } from './fast/fast-path';
import { UpstreamLinks } from './fast/upstream-links';
import { withUpstreamMetrics } from './gateway-metrics';
import { GatewayUpstreams } from './gateway-upstreams';
import { proxyHttp, sendEnvelope } from './http-proxy';
import { isApiUrl, routeFor } from './route-table';
import { proxyUpgrade, refuseUpgrade } from './ws-proxy';

const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'];

/**
 * Routes everything under `/api` to the services (see route-table.ts): HTTP requests are streamed through
 * (bodies are never parsed here, nor limited: the service decides), WebSocket upgrades are tunnelled. Before
 * that: CORS (the gateway's own headers win), the per-client rate limit; after it, one access-log line. Everything else (`pb_public`, `/healthz`, `/readyz`) the gateway serves itself.
 * With `NB_GATEWAY_FAST_PATH` (the default) API requests are served by `FastPath` first (see fast/fast-path.ts),
 * with the same routing, limits, CORS and log; this Fastify route serves the connections it hands over.
 */
@Injectable()
export class GatewayProxy implements OnApplicationBootstrap, OnModuleDestroy {
  constructor(
    private readonly config: AppConfig,
    private readonly adapterHost: HttpAdapterHost,
    private readonly upstreams: GatewayUpstreams,
    private readonly limit: EdgeRateLimit,
    bodyLimits: BodyLimits,
  ) {
    // Proxied bodies are streamed, so any size passes here: the service behind applies its own limit per
    // route (batch.maxBodySize, backup uploads without one). The fast path holds bodies up to NB_BODY_LIMIT in
    // memory for its retry; larger ones take the streaming route.
    bodyLimits.register((request) => (isApiUrl(request.url) ? Number.POSITIVE_INFINITY : 0));
    this.done = withUpstreamMetrics(config.gateway.accessLog ? writeAccessLog : undefined, config.metrics.enabled);
  }

  private fastPath?: FastPath;
  /** Per proxied request: the upstream histogram (metrics on) and the access-log line (NB_ACCESS_LOG). */
  private readonly done: ((entry: AccessLogEntry, started: number) => void) | undefined;

  onApplicationBootstrap(): void {
    const fastify = this.adapterHost.httpAdapter.getInstance<FastifyInstance>();
    // Not awaited: Nest's error handling breaks when a plugin is awaited during its init.
    void fastify.register((scope, _options, done) => {
      // The body stays unread in the request stream: it is piped to the service as it arrives.
      scope.removeAllContentTypeParsers();
      scope.addContentTypeParser('*', (_request, _payload, parsed) => parsed(null));
      for (const url of ['/api', '/api/*']) {
        scope.route({ method: METHODS, url, exposeHeadRoute: false, handler: (req, reply) => this.handle(req, reply) });
      }
      done();
    });
    if (this.config.gateway.fastPath) {
      this.installFastPath(fastify.server);
    }
    fastify.server.on('upgrade', (request: http.IncomingMessage, socket: Duplex, head: Buffer) =>
      this.upgrade(request, socket, head),
    );
  }

  async onModuleDestroy(): Promise<void> {
    this.fastPath?.close();
    flushLogs();
    await this.limit.close();
  }

  private installFastPath(server: http.Server): void {
    const { gateway, http: httpConfig, bodyLimit } = this.config;
    const keepAliveSeconds = Math.floor(httpConfig.timeouts.keepAliveMs / 1000);
    this.fastPath = new FastPath({
      pool: (service) => this.upstreams.pool(service),
      links: new UpstreamLinks(),
      limit: this.limit,
      log: this.done,
      bodyLimit,
      trustProxyHops: httpConfig.trustProxyHops,
      timeouts: httpConfig.timeouts,
      connectTimeoutMs: gateway.connectTimeoutMs,
      responseTimeoutMs: gateway.responseTimeoutMs,
      keepAliveLines: `Connection: keep-alive\r\nKeep-Alive: timeout=${keepAliveSeconds}\r\n`,
      draining: false,
    });
    this.fastPath.install(server);
  }

  private async handle(request: FastifyRequest, reply: FastifyReply): Promise<void> {
    const started = performance.now();
    const route = routeFor(request.url);
    const reqId = requestIdOf(request);
    skipAccessLog(request);
    const log = (status: number, upstream: string) =>
      this.log(started, {
        reqId,
        method: request.method,
        url: request.url,
        status,
        service: route,
        upstream,
        ip: request.ip,
      });
    reply.hijack();
    const responseHeaders = { ...corsHeaders(reply), 'x-request-id': reqId };
    if (route === 'blocked') {
      afterBody(request.raw, () =>
        sendEnvelope(reply.raw, 404, "The requested resource wasn't found.", responseHeaders),
      );
      log(404, '-');
      return;
    }
    if (!(await this.limit.allow(request.ip))) {
      afterBody(request.raw, () => sendEnvelope(reply.raw, 429, 'Too many requests.', responseHeaders));
      log(429, '-');
      return;
    }
    const trace = proxyTrace(route, request.method);
    proxyHttp(request.raw, reply.raw, this.upstreams.pool(route), {
      responseHeaders,
      requestHeaders: { 'x-request-id': reqId, ...trace.headers },
      bodyLimit: Number.POSITIVE_INFINITY,
      connectTimeoutMs: this.config.gateway.connectTimeoutMs,
      responseTimeoutMs: this.config.gateway.responseTimeoutMs,
      done: ({ status, upstream }) => {
        trace.end(status, upstream);
        log(status, upstream);
      },
    });
  }

  private log(started: number, entry: AccessLogEntry): void {
    this.done?.(entry, started);
  }

  private upgrade(request: http.IncomingMessage, socket: Duplex, head: Buffer): void {
    const url = request.url ?? '/';
    const route = isApiUrl(url) ? routeFor(url) : 'blocked';
    if (route === 'blocked') {
      refuseUpgrade(socket, 404, 'Not Found');
      return;
    }
    const started = performance.now();
    const ip = request.socket.remoteAddress ?? '';
    const reqId = saneRequestId(request.headers[REQUEST_ID_HEADER]) ?? newRequestId();
    // the service's request (its access line, its span) is named by the gateway's id and a child of this hop
    const client = request.headers.traceparent;
    const trace = proxyTrace(route, 'GET', typeof client === 'string' ? client : undefined);
    const headers = { 'X-Request-Id': reqId, ...trace.headers };
    proxyUpgrade(request, socket, head, this.upstreams.pool(route), headers, (upstream) => {
      const status = upstream === '-' ? 503 : 101;
      trace.end(status, upstream);
      this.log(started, { reqId, method: 'UPGRADE', url, status, service: route, upstream, ip });
    });
  }
}

/** The CORS headers the gateway's CORS hook put on the reply (they replace the service's). */
function corsHeaders(reply: FastifyReply): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(reply.getHeaders())) {
    if ((name.startsWith('access-control-') || name === 'vary') && value !== undefined) {
      out[name] = Array.isArray(value) ? value : String(value);
    }
  }
  return out;
}

/** Body bytes an unproxied answer (404, 429) reads and drops first; past that it goes at once. */
const MAX_DRAIN_BODY = 64 * 1024 * 1024;

/**
 * Calls `send` once the request's body has been read and dropped: answering first and closing a `Connection: close`
 * socket with body bytes unread resets it, which can discard the answer (seen: a blocked route's 404 to a 2 MB POST).
 */
function afterBody(request: http.IncomingMessage, send: () => void): void {
  const length = Number(request.headers['content-length'] ?? 0);
  const hasBody = length > 0 || request.headers['transfer-encoding'] !== undefined;
  if (request.complete || !hasBody || length > MAX_DRAIN_BODY) {
    send();
    return;
  }
  let sent = false;
  const once = () => {
    if (!sent) {
      sent = true;
      send();
    }
  };
  request.once('end', once);
  request.once('close', once);
  request.resume();
}
