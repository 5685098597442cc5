import { ArgumentsHost, Catch, ExceptionFilter } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { MfaRequiredError } from './mfa-required.error';

/** Put on every controller whose handlers call `AuthService.authResponse` with a factor. */
@Catch(MfaRequiredError)
export class MfaRequiredFilter implements ExceptionFilter {
  catch(error: MfaRequiredError, host: ArgumentsHost): void {
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    void reply.status(401).header('content-type', 'application/json; charset=utf-8').send({ mfaId: error.mfaId });
  }
}
