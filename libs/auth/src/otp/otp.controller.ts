import { Controller, HttpCode, Param, Post, Req } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { queryValues, readBody } from '@lib/core';
import { clientRequest } from '../client-request';
import { CountsAuthFailures } from '../rate-limit/counts-auth-failures.decorator';
import { OtpAuthService } from './otp-auth.service';
import { OtpRequestService } from './otp-request.service';

@Controller('api/collections/:collection')
export class OtpController {
  constructor(
    private readonly requests: OtpRequestService,
    private readonly otp: OtpAuthService,
  ) {}

  @Post('request-otp')
  @HttpCode(200)
  async requestOtp(@Param('collection') c: string, @Req() req: FastifyRequest) {
    return await this.requests.request(c, readBody(req).data);
  }

  @Post('auth-with-otp')
  @HttpCode(200)
  @CountsAuthFailures()
  async authWithOtp(@Param('collection') c: string, @Req() req: FastifyRequest) {
    const expand = queryValues(req).expand ?? '';
    return await this.otp.authWithOtp(c, readBody(req).data, expand, clientRequest(req));
  }
}
