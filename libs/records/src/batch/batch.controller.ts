import { Controller, HttpCode, Post, Req } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { batchBody, recordRequest } from '../records/http-request';
import { BatchService } from './batch.service';

@Controller('api/batch')
export class BatchController {
  constructor(private readonly batch: BatchService) {}

  @Post()
  @HttpCode(200)
  run(@Req() req: FastifyRequest) {
    return this.batch.run(batchBody(req), recordRequest(req, 'batch'), Number(req.headers['content-length']) || 0);
  }
}
