import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import { getRequestAuth } from '@lib/core';
import { CollectionsRegistry } from '@lib/records';
import type { CollectionModel } from '@lib/schema';
import { RateLimitService, type RateLimitClient } from './rate-limit.service';
import { RATE_LIMIT_TAGS } from './rate-limit-rules';

const SCOPE = Symbol('nestbase.rateLimitScope');

/** What the guard resolved for a request, reused by the failure interceptor. */
export interface RequestRateScope {
  client: RateLimitClient;
  collection?: CollectionModel;
  tags: string[];
}

export function rateScopeOf(request: unknown): RequestRateScope | undefined {
  return (request as { [SCOPE]?: RequestRateScope })[SCOPE];
}

/** Applies the `settings.rateLimits` rule of a `@RateLimited(...)` route (runs after the auth guard). */
@Injectable()
export class RateLimitGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly limits: RateLimitService,
    private readonly registry: CollectionsRegistry,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const tags = this.reflector.getAllAndOverride<string[] | undefined>(RATE_LIMIT_TAGS, [
      context.getHandler(),
      context.getClass(),
    ]);
    const param = (request.params as Record<string, string> | undefined)?.collection;
    const collection = param ? this.registry.findCollection(param) : undefined;
    const client = await this.limits.client(request.ip, request.headers, getRequestAuth(request));
    const scope: RequestRateScope = { client, collection: collection ?? undefined, tags: tags ?? [] };
    (request as unknown as { [SCOPE]: RequestRateScope })[SCOPE] = scope;
    await this.limits.checkRoute(client, {
      collection: scope.collection,
      tags: scope.tags,
      method: request.method,
      path: request.url.split('?')[0],
      pattern: request.routeOptions.url ?? '',
    });
    return true;
  }
}
