import { Controller, HttpCode, Param, Post, Req, UseGuards } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { queryValues, readBody, SuperuserGuard } from '@lib/core';
import { recordRequest } from '@lib/records';
import { ImpersonateService } from './impersonate.service';

@Controller('api/collections/:collection')
@UseGuards(SuperuserGuard)
export class ImpersonateController {
  constructor(private readonly impersonation: ImpersonateService) {}

  @Post('impersonate/:id')
  @HttpCode(200)
  async impersonate(@Param('collection') c: string, @Param('id') id: string, @Req() req: FastifyRequest) {
    return await this.impersonation.impersonate(
      c,
      id,
      readBody(req).data,
      queryValues(req).expand ?? '',
      recordRequest(req),
    );
  }
}
