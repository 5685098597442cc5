import { Controller, HttpCode, Post, Req, UseGuards } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { readBody, SuperuserGuard } from '@lib/core';
import { AppleClientSecretService } from './apple-client-secret.service';

@Controller('api/settings/apple')
@UseGuards(SuperuserGuard)
export class AppleClientSecretController {
  constructor(private readonly apple: AppleClientSecretService) {}

  @Post('generate-client-secret')
  @HttpCode(200)
  generate(@Req() req: FastifyRequest) {
    return this.apple.generate(readBody(req).data);
  }
}
