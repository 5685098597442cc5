import { Controller, HttpCode, Param, Post, Req } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { readBody } from '@lib/core';
import { PasswordResetService } from './password-reset.service';

@Controller('api/collections/:collection')
export class PasswordResetController {
  constructor(private readonly passwordReset: PasswordResetService) {}

  @Post('request-password-reset')
  @HttpCode(204)
  request(@Param('collection') c: string, @Req() req: FastifyRequest) {
    return this.passwordReset.request(c, readBody(req).data);
  }

  @Post('confirm-password-reset')
  @HttpCode(204)
  confirm(@Param('collection') c: string, @Req() req: FastifyRequest) {
    return this.passwordReset.confirm(c, readBody(req).data);
  }
}
