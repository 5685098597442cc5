import { UseInterceptors } from '@nestjs/common';
import { AuthFailureInterceptor } from './auth-failure.interceptor';

/**
 * Counts the failed attempts of a login route (a 400 without field errors) per identity and client address
 * and per client address, and refuses with 429 while either is used up (always on; see rate-limit-rules.ts).
 * Its collection and actions come from `route-actions.ts`, as for `settings.rateLimits`.
 */
export function CountsAuthFailures(): MethodDecorator & ClassDecorator {
  return UseInterceptors(AuthFailureInterceptor);
}
