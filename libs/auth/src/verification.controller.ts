import { Controller, HttpCode, Param, Post, Req } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { readBody } from '@lib/core';
import { VerificationService } from './verification.service';

@Controller('api/collections/:collection')
export class VerificationController {
  constructor(private readonly verification: VerificationService) {}

  @Post('request-verification')
  @HttpCode(204)
  request(@Param('collection') c: string, @Req() req: FastifyRequest) {
    return this.verification.request(c, readBody(req).data);
  }

  @Post('confirm-verification')
  @HttpCode(204)
  confirm(@Param('collection') c: string, @Req() req: FastifyRequest) {
    return this.verification.confirm(c, readBody(req).data);
  }
}
