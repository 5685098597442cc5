import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { catchError, from, mergeMap, Observable, switchMap, throwError } from 'rxjs';
import { ApiError, getRequestAuth } from '@lib/core';
import { CollectionsRegistry } from '@lib/records';
import { RateLimitService, type AttemptScope } from './rate-limit.service';
import { routeAction } from './route-actions';

/** A wrong credential: a 400 without field errors (blank or malformed input has field errors). */
function isFailedAttempt(error: unknown): boolean {
  return error instanceof ApiError && error.status === 400 && Object.keys(error.data).length === 0;
}

/** The typed identity, lower-cased: `identity` (or the tutorial's `email`). */
function identityOf(body: unknown): string | null {
  const data = (body ?? {}) as Record<string, unknown>;
  const raw = typeof data.identity === 'string' ? data.identity : typeof data.email === 'string' ? data.email : '';
  return raw.trim().toLowerCase() || null;
}

/**
 * Brute-force protection of login routes (`@CountsAuthFailures()`): refuses with 429 while the typed identity
 * from this client address, or the address itself, has too many recent failures; counts each failure; clears
 * the identity's count on success.
 */
@Injectable()
export class AuthFailureInterceptor implements NestInterceptor {
  constructor(
    private readonly limits: RateLimitService,
    private readonly registry: CollectionsRegistry,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const action = routeAction(request.method, request.routeOptions.url);
    const name = action?.collectionParam
      ? (request.params as Record<string, string> | undefined)?.[action.collectionParam]
      : action?.collectionName;
    const collection = name ? this.registry.findCollection(name) : undefined;
    if (!collection || collection.type !== 'auth' || !action?.tags.includes('auth')) {
      return next.handle();
    }
    const attempt = async (): Promise<AttemptScope> => {
      const client = await this.limits.client(request.ip, request.headers, getRequestAuth(request));
      const scope: AttemptScope = { client, collection, identity: identityOf(request.body) };
      await this.limits.assertNotLockedOut(scope);
      return scope;
    };
    return from(attempt()).pipe(
      switchMap((scope) =>
        next.handle().pipe(
          mergeMap(async (result: unknown) => {
            await this.limits.recordSuccess(scope);
            return result;
          }),
          catchError((error: unknown) =>
            from(isFailedAttempt(error) ? this.limits.recordFailure(scope) : Promise.resolve()).pipe(
              switchMap(() => throwError(() => error)),
            ),
          ),
        ),
      ),
    );
  }
}
