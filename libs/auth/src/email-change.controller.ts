import { Controller, HttpCode, Param, Post, Req } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { getRequestAuth, readBody } from '@lib/core';
import { EmailChangeService } from './email-change.service';

@Controller('api/collections/:collection')
export class EmailChangeController {
  constructor(private readonly emailChange: EmailChangeService) {}

  @Post('request-email-change')
  @HttpCode(204)
  request(@Param('collection') c: string, @Req() req: FastifyRequest) {
    return this.emailChange.request(c, readBody(req).data, getRequestAuth(req));
  }

  @Post('confirm-email-change')
  @HttpCode(204)
  confirm(@Param('collection') c: string, @Req() req: FastifyRequest) {
    return this.emailChange.confirm(c, readBody(req).data);
  }
}
