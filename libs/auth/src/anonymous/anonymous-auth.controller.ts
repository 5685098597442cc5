import { Controller, HttpCode, Param, Post, Req } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { queryValues, readBody } from '@lib/core';
import { recordRequest } from '@lib/records';
import { AnonymousAuthService } from './anonymous-auth.service';

@Controller('api/collections/:collection')
export class AnonymousAuthController {
  constructor(private readonly anonymous: AnonymousAuthService) {}

  @Post('auth-anonymously')
  @HttpCode(200)
  async authAnonymously(@Param('collection') c: string, @Req() req: FastifyRequest) {
    const expand = queryValues(req).expand ?? '';
    return await this.anonymous.authAnonymously(c, readBody(req).data, expand, recordRequest(req));
  }
}
