import { Injectable, OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { setRequestAuth, toEnvelope } from '@lib/core';
import { CollectionsRegistry, StoreSync } from '@lib/records';
import type { CollectionModel } from '@lib/schema';
import { RequestAuthGuard } from '../request-auth.guard';
import { RateLimitService } from './rate-limit.service';
import { routeAction, type RouteAction } from './route-actions';

/** Probe endpoints and the services' secret-guarded internal API. */
const EXEMPT_ROUTES = new Set(['/healthz', '/readyz']);
const INTERNAL_PREFIX = '/api/_internal/';

/**
 * Never limited: CORS preflights (PocketBase answers them before its rate limiter), the liveness and readiness
 * probes of the orchestrator, and the internal API between services (one client address for every client).
 */
function isExempt(request: FastifyRequest): boolean {
  return (
    request.method === 'OPTIONS' ||
    EXEMPT_ROUTES.has(request.routeOptions.url ?? '') ||
    request.url.startsWith(INTERNAL_PREFIX)
  );
}

/**
 * Applies `settings.rateLimits` to every route of this process — Nest controllers, hook routes, realtime, files,
 * static files — from one Fastify `onRequest` hook, before the body is read. As PocketBase: a global check on the
 * path labels (`METHOD /path`, then `/path`, prefixes ending in `/`), counted per rule; and for the collection
 * routes of `route-actions.ts` a check on `<collection>:<action>`, `*:<action>` and then the path labels, counted
 * per collection route. Superusers and `excludedIPs` are never limited. With `enabled: false` (the default) a
 * request costs the settings freshness check (one prepared pragma read) and a property read: nothing is awaited.
 */
@Injectable()
export class RequestRateLimiter implements OnModuleInit {
  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly limits: RateLimitService,
    private readonly authGuard: RequestAuthGuard,
    private readonly registry: CollectionsRegistry,
    private readonly sync: StoreSync,
  ) {}

  onModuleInit(): void {
    const fastify = this.adapterHost.httpAdapter?.getInstance<FastifyInstance>();
    if (!fastify) {
      return; // the CLI: no HTTP server
    }
    fastify.addHook('onRequest', (request, reply, done) => {
      // Settings changed by another process invalidate the cache here (one prepared pragma read, synchronous; on
      // PostgreSQL a stamp read that started after the request arrived, which the auth below waits for once).
      const syncing = this.sync.ensureFresh();
      if (syncing === undefined && this.limits.cachedLimits()?.enabled === false) {
        done();
        return;
      }
      this.check(request, syncing).then(
        () => done(),
        (error: unknown) => void this.refuse(reply, error),
      );
    });
  }

  private async check(request: FastifyRequest, syncing: Promise<void> | undefined): Promise<void> {
    if (isExempt(request)) {
      syncing?.catch(() => undefined); // the guard checks again (and answers its failure)
      return;
    }
    // The auth decides the audience and the superuser exemption; the guard reuses it (no second verify). It
    // waits for this request's freshness check, not a second one (which on PostgreSQL would be a later read).
    if (syncing) {
      await syncing;
    }
    const auth = await this.authGuard.resolveSynced(request.headers.authorization);
    setRequestAuth(request, auth);
    const { limits, trustedProxy } = await this.limits.limits();
    if (!limits.enabled) {
      return;
    }
    const client = this.limits.clientOf(limits, trustedProxy, request.ip, request.headers, auth);
    if (client.exempt) {
      return;
    }
    const path = request.url.split('?', 1)[0];
    const pathLabels = [`${request.method} ${path}`, path];
    const action = routeAction(request.method, request.routeOptions.url);
    if (!action?.own) {
      await this.limits.check(limits, client, pathLabels, 'global:');
    }
    const collection = action && this.collectionOf(request, action);
    if (action && collection) {
      const labels = [
        ...action.tags.map((tag) => `${collection.name}:${tag}`),
        ...action.tags.map((tag) => `*:${tag}`),
        ...pathLabels,
      ];
      const route = action.sameAs ?? `${request.method} ${request.routeOptions.url ?? ''}`;
      const limiter = `${collection.id}:${route}:${action.tags.join(',')}:`;
      await this.limits.check(limits, client, labels, limiter);
    }
  }

  private collectionOf(request: FastifyRequest, action: RouteAction): CollectionModel | undefined {
    const param = action.collectionParam
      ? (request.params as Record<string, string> | undefined)?.[action.collectionParam]
      : action.collectionName;
    return param ? this.registry.findCollection(param) : undefined;
  }

  private refuse(reply: FastifyReply, error: unknown): void {
    const envelope = toEnvelope(error);
    void reply.code(envelope.status).header('content-type', 'application/json; charset=utf-8').send(envelope);
  }
}
