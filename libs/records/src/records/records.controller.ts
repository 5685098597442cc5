import { Controller, Delete, Get, HttpCode, Param, Patch, Post, Req } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { queryValues } from '@lib/core';
import { withFields } from './fields-response';
import { listParams, recordBody, recordRequest } from './http-request';
import { RecordsService } from './records.service';

@Controller('api/collections/:collection/records')
export class RecordsController {
  constructor(private readonly records: RecordsService) {}

  @Get()
  async list(@Param('collection') c: string, @Req() req: FastifyRequest) {
    return withFields(req, await this.records.list(c, listParams(queryValues(req)), recordRequest(req)));
  }

  @Get(':id')
  async view(@Param('collection') c: string, @Param('id') id: string, @Req() req: FastifyRequest) {
    return withFields(req, await this.records.view(c, id, queryValues(req).expand ?? '', recordRequest(req)));
  }

  @Post()
  @HttpCode(200)
  async create(@Param('collection') c: string, @Req() req: FastifyRequest) {
    return withFields(
      req,
      await this.records.create(c, recordBody(req), queryValues(req).expand ?? '', recordRequest(req)),
    );
  }

  @Patch(':id')
  async update(@Param('collection') c: string, @Param('id') id: string, @Req() req: FastifyRequest) {
    return withFields(
      req,
      await this.records.update(c, id, recordBody(req), queryValues(req).expand ?? '', recordRequest(req)),
    );
  }

  @Delete(':id')
  @HttpCode(204)
  async delete(@Param('collection') c: string, @Param('id') id: string, @Req() req: FastifyRequest): Promise<void> {
    await this.records.delete(c, id, recordRequest(req));
  }
}
