import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { catchError, from, mergeMap, Observable, switchMap, throwError } from 'rxjs';
import { ApiError } from '@lib/core';
import { RateLimitService, type AttemptScope } from './rate-limit.service';
import { rateScopeOf } from './rate-limit.guard';

/** A wrong credential: a 400 without field errors (blank or malformed input has field errors). */
function isFailedAttempt(error: unknown): boolean {
  return error instanceof ApiError && error.status === 400 && Object.keys(error.data).length === 0;
}

/**
 * Brute-force protection of `auth`-tagged routes: refuses with 429 while the typed identity or the
 * client IP has too many recent failures, counts each failure, and clears the identity on success.
 */
@Injectable()
export class AuthFailureInterceptor implements NestInterceptor {
  constructor(private readonly limits: RateLimitService) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const rate = rateScopeOf(request);
    if (!rate?.collection || rate.collection.type !== 'auth' || !rate.tags.includes('auth')) {
      return next.handle();
    }
    const body = request.body as Record<string, unknown> | undefined;
    const identity = typeof body?.identity === 'string' ? body.identity.trim().toLowerCase() : '';
    const scope: AttemptScope = { client: rate.client, collection: rate.collection, identity: identity || null };
    return from(this.limits.assertNotLockedOut(scope)).pipe(
      switchMap(() => next.handle()),
      mergeMap(async (result: unknown) => {
        await this.limits.recordSuccess(scope);
        return result;
      }),
      catchError((error: unknown) =>
        from(isFailedAttempt(error) ? this.limits.recordFailure(scope) : Promise.resolve()).pipe(
          switchMap(() => throwError(() => error)),
        ),
      ),
    );
  }
}
