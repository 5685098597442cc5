import { applyDecorators, SetMetadata, UseGuards, UseInterceptors } from '@nestjs/common';
import { AuthFailureInterceptor } from './auth-failure.interceptor';
import { RateLimitGuard } from './rate-limit.guard';
import { RATE_LIMIT_TAGS } from './rate-limit-rules';

/**
 * Rate-limits a collection route (`/api/collections/:collection/...`) under PocketBase's action
 * tags, e.g. `@RateLimited('authWithPassword', 'auth')` matches the rules `users:authWithPassword`,
 * `*:authWithPassword`, `users:auth`, `*:auth`, then `POST /api/…` and path prefixes. Routes tagged
 * `auth` also count failed attempts (400 without field errors) per identity and IP.
 */
export function RateLimited(...tags: string[]): MethodDecorator & ClassDecorator {
  return applyDecorators(
    SetMetadata(RATE_LIMIT_TAGS, tags),
    UseGuards(RateLimitGuard),
    UseInterceptors(AuthFailureInterceptor),
  );
}
