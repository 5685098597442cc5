import { timingSafeEqual } from 'node:crypto';
import { CanActivate, ExecutionContext, Inject, Injectable } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { AppConfig } from '../config/app-config';
import { ForbiddenError, NotFoundError } from '../errors/api-error';

/** The header carrying the shared secret of the internal endpoints (`NB_INTERNAL_SECRET`). */
export const INTERNAL_SECRET_HEADER = 'x-nestbase-internal';

/** The internal endpoints answer only requests carrying `NB_INTERNAL_SECRET`; without one configured they don't exist. */
@Injectable()
export class InternalSecretGuard implements CanActivate {
  constructor(@Inject(AppConfig) private readonly config: AppConfig) {}

  canActivate(context: ExecutionContext): boolean {
    const secret = this.config.internal?.secret ?? '';
    if (!secret) {
      throw new NotFoundError();
    }
    const given = context.switchToHttp().getRequest<FastifyRequest>().headers[INTERNAL_SECRET_HEADER];
    const a = Buffer.from(typeof given === 'string' ? given : '');
    const b = Buffer.from(secret);
    if (a.length !== b.length || !timingSafeEqual(a, b)) {
      throw new ForbiddenError('Invalid internal secret.');
    }
    return true;
  }
}
