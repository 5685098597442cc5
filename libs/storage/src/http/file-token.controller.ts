import { Controller, HttpCode, Post, Req } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { getRequestAuth } from '@lib/core';
import { FileAccessService } from '../file-access.service';

@Controller('api/files/token')
export class FileTokenController {
  constructor(private readonly access: FileAccessService) {}

  @Post()
  @HttpCode(200)
  token(@Req() req: FastifyRequest) {
    return this.access.issueToken(getRequestAuth(req));
  }
}
