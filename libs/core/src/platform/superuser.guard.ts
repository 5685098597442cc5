import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { getRequestAuth } from '../contracts/request-auth';
import { ForbiddenError, UnauthorizedError } from '../errors/api-error';

/** Superusers only: 401 without a valid token, 403 for any other auth record. */
@Injectable()
export class SuperuserGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    const auth = getRequestAuth(context.switchToHttp().getRequest());
    if (!auth) {
      throw new UnauthorizedError('The request requires valid superuser authorization token.');
    }
    if (!auth.isSuperuser) {
      throw new ForbiddenError('The authorized record is not allowed to perform this action.');
    }
    return true;
  }
}
