import { Injectable } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { CUSTOM_ROUTES, headerValues, queryValues, readBody, setRequestAuth, toEnvelope } from '@lib/core';
import { RequestAuthGuard } from '@lib/auth';
import { CollectionsRegistry } from '@lib/records';
import { runChain } from '../hook-chain';
import { HookDataService } from '../hook-data.service';
import { HookRecord } from '../hook-record';
import { HookRegistry, type RouteDef } from '../hook-registry';
import type { RouteEvent } from '../hook-types';
import { keepRawBody, rawBodyOf } from './raw-body';

const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'];

/** PocketBase's `/hello/{name}` and `/files/{path...}` as Fastify paths (`:name`, `*`); `:name` is kept. */
export function fastifyPath(path: string): string {
  const withSlash = path.startsWith('/') ? path : `/${path}`;
  return withSlash.replace(/\{(\w+)\.\.\.\}/g, '*').replace(/\{(\w+)\}/g, ':$1');
}

/** The `routerAdd` routes, registered on Fastify before the server listens. */
@Injectable()
export class HookRoutes {
  constructor(
    private readonly registry: HookRegistry,
    private readonly adapterHost: HttpAdapterHost,
    private readonly authGuard: RequestAuthGuard,
    private readonly data: HookDataService,
    private readonly collections: CollectionsRegistry,
  ) {}

  install(): void {
    const fastify = this.adapterHost.httpAdapter.getInstance<FastifyInstance>();
    for (const route of this.registry.routes) {
      const method = route.method.toUpperCase();
      if (!METHODS.includes(method)) {
        throw new Error(`routerAdd: unknown method "${route.method}"`);
      }
      fastify.route({
        method,
        url: fastifyPath(route.path),
        preParsing: keepRawBody,
        handler: (req, reply) => this.handle(route, req, reply),
      });
    }
    // The OpenAPI document lists them (libs/apidocs).
    CUSTOM_ROUTES.replace(this.registry.routes);
  }

  private async handle(route: RouteDef, request: FastifyRequest, reply: FastifyReply): Promise<void> {
    const send = (status: number, body: unknown, type?: string) => {
      if (!reply.sent) {
        if (type) {
          void reply.header('content-type', type);
        }
        void reply.status(status).send(body);
      }
    };
    try {
      const auth = await this.authGuard.resolve(request.headers.authorization);
      setRequestAuth(request, auth);
      const c = auth ? this.collections.findCollection(auth.collectionId) : undefined;
      const e: RouteEvent = {
        app: this.data.api(null),
        request: {
          method: request.method,
          url: request.url,
          headers: headerValues(request),
          query: queryValues(request),
          params: { ...(request.params as Record<string, string>) },
          body: readBody(request).data,
          raw: rawBodyOf(request),
          ip: request.ip,
        },
        auth: auth && c ? new HookRecord(c, { ...auth.record }, auth.record) : null,
        json: (status, body) => send(status, body),
        string: (status, text) => send(status, text, 'text/plain; charset=utf-8'),
        noContent: (status = 204) => send(status, undefined),
        html: (status, html) => send(status, html, 'text/html; charset=utf-8'),
        redirect: (status, url) => {
          void reply.header('location', url);
          send(status, undefined);
        },
        blob: (status, type, bytes) => send(status, typeof bytes === 'string' ? bytes : Buffer.from(bytes), type),
        setHeader: (name, value) => void reply.header(name, value),
        next: async () => undefined,
      };
      const handler = async (ev: RouteEvent) => {
        const result = await route.handler(ev);
        if (result !== undefined) {
          send(200, result);
        }
      };
      await runChain([...this.registry.routeMiddlewares, ...route.middlewares, handler], e, async () => undefined);
      send(204, undefined);
    } catch (error) {
      const envelope = toEnvelope(error);
      send(envelope.status, envelope, 'application/json; charset=utf-8');
    }
  }
}
