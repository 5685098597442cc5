import { Controller, HttpCode, Param, Post, Req } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { queryValues, readBody } from '@lib/core';
import { recordRequest } from '@lib/records';
import { AuthService } from './auth.service';
import { clientRequest } from './client-request';
import { CountsAuthFailures } from './rate-limit/counts-auth-failures.decorator';

@Controller('api/collections/:collection')
export class AuthController {
  constructor(private readonly auth: AuthService) {}

  @Post('auth-with-password')
  @HttpCode(200)
  @CountsAuthFailures()
  async authWithPassword(@Param('collection') c: string, @Req() req: FastifyRequest) {
    return await this.auth.authWithPassword(c, readBody(req).data, queryValues(req).expand ?? '', clientRequest(req));
  }

  @Post('auth-refresh')
  @HttpCode(200)
  async authRefresh(@Param('collection') c: string, @Req() req: FastifyRequest) {
    return await this.auth.authRefresh(c, queryValues(req).expand ?? '', recordRequest(req));
  }
}
