import { ForbiddenError, UnauthorizedError } from '@lib/core';
import type { RouteEvent, RouteMiddleware } from '../hook-types';

/** Lets only authenticated requests through (of the given auth collections, when any are named): 401 otherwise. */
export function requireAuth(...collections: string[]): RouteMiddleware {
  return async (e: RouteEvent) => {
    if (!e.auth) {
      throw new UnauthorizedError('The request requires valid record authorization token.');
    }
    const c = e.auth.collection();
    if (collections.length > 0 && !collections.includes(c.name) && !collections.includes(c.id)) {
      throw new ForbiddenError('The authorized record is not allowed to perform this action.');
    }
    await e.next();
  };
}

/** Lets only superusers through: 401 otherwise. */
export function requireSuperuserAuth(): RouteMiddleware {
  return async (e: RouteEvent) => {
    if (!e.auth?.isSuperuser()) {
      throw new UnauthorizedError('The request requires valid superuser authorization token.');
    }
    await e.next();
  };
}

/** Lets only guests through: 400 for authenticated requests. */
export function requireGuestOnly(): RouteMiddleware {
  return async (e: RouteEvent) => {
    if (e.auth) {
      throw new ForbiddenError('The request can be accessed only by guests.');
    }
    await e.next();
  };
}
