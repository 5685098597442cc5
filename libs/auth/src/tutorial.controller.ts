import { Controller, HttpCode, Post, Req } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { queryValues, readBody } from '@lib/core';
import { recordBody, recordRequest } from '@lib/records';
import { clientRequest } from './client-request';
import { CountsAuthFailures } from './rate-limit/counts-auth-failures.decorator';
import { TutorialService } from './tutorial.service';

/** `POST /api/users` and `POST /api/users/auth-via-email` (the tutorial's endpoints). */
@Controller('api/users')
export class TutorialController {
  constructor(private readonly tutorial: TutorialService) {}

  @Post()
  @HttpCode(200)
  async register(@Req() req: FastifyRequest) {
    return await this.tutorial.register(recordBody(req), queryValues(req).expand ?? '', recordRequest(req));
  }

  @Post('auth-via-email')
  @HttpCode(200)
  @CountsAuthFailures()
  async authViaEmail(@Req() req: FastifyRequest) {
    return await this.tutorial.authViaEmail(readBody(req).data, queryValues(req).expand ?? '', clientRequest(req));
  }
}
