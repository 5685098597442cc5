import { Controller, Delete, Get, HttpCode, Param, Req, UseGuards } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { queryValues, SuperuserGuard } from '@lib/core';
import { LogsService } from './logs.service';

@Controller('api/logs')
@UseGuards(SuperuserGuard)
export class LogsController {
  constructor(private readonly logs: LogsService) {}

  @Get()
  list(@Req() request: FastifyRequest) {
    return this.logs.list(queryValues(request));
  }

  @Get('stats')
  stats(@Req() request: FastifyRequest) {
    return this.logs.stats(queryValues(request));
  }

  @Get(':id')
  view(@Param('id') id: string) {
    return this.logs.view(id);
  }

  @Delete()
  @HttpCode(204)
  truncate() {
    return this.logs.truncate();
  }
}
