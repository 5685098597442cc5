import { Controller, Get, Param, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { queryValues } from '@lib/core';
import { recordRequest } from '@lib/records';
import { FilesService } from '../files.service';
import { fileRequestHeaders, sendFile } from './file-reply';

@Controller('api/files')
export class FilesController {
  constructor(private readonly files: FilesService) {}

  @Get(':collection/:recordId/:filename')
  async serve(
    @Param('collection') c: string,
    @Param('recordId') id: string,
    @Param('filename') name: string,
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    sendFile(reply, await this.files.serve(c, id, name, queryValues(req), fileRequestHeaders(req), recordRequest(req)));
  }
}
