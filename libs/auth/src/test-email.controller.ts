import { Controller, HttpCode, Post, Req, UseGuards } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { readBody, SuperuserGuard } from '@lib/core';
import { TestEmailService } from './test-email.service';

@Controller('api/settings/test')
@UseGuards(SuperuserGuard)
export class TestEmailController {
  constructor(private readonly testEmail: TestEmailService) {}

  @Post('email')
  @HttpCode(204)
  send(@Req() req: FastifyRequest) {
    return this.testEmail.send(readBody(req).data);
  }
}
