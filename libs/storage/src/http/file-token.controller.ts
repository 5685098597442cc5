import { Controller, HttpCode, Post, Req } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { recordRequest } from '@lib/records';
import { FileAccessService } from '../file-access.service';

@Controller('api/files/token')
export class FileTokenController {
  constructor(private readonly access: FileAccessService) {}

  @Post()
  @HttpCode(200)
  token(@Req() req: FastifyRequest) {
    return this.access.issueToken(recordRequest(req));
  }
}
