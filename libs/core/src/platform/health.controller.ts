import { Controller, Get, Req } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { getRequestAuth } from '../contracts/request-auth';

/** `GET /api/health` (Fastify answers HEAD from the GET route); superusers also see canBackup and realIP. */
@Controller('api/health')
export class HealthController {
  @Get()
  check(@Req() request: FastifyRequest) {
    if (getRequestAuth(request)?.isSuperuser) {
      return {
        code: 200,
        message: 'API is healthy.',
        data: { canBackup: false, realIP: request.ip, possibleProxyHeader: '' },
      };
    }
    return { code: 200, message: 'API is healthy.', data: {} };
  }
}
