import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Put, Req, UseGuards } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { queryValues, SuperuserGuard } from '@lib/core';
import { listParams } from '../records/http-request';
import { RecordsService } from '../records/records.service';
import { CollectionsQuery } from './collections-query';
import { CollectionsApiService } from './collections-api.service';
import { CollectionsService } from './collections.service';
import { ViewPreviewService } from './view-preview.service';

@Controller('api/collections')
@UseGuards(SuperuserGuard)
export class CollectionsController {
  constructor(
    private readonly collections: CollectionsService,
    private readonly writes: CollectionsApiService,
    private readonly query: CollectionsQuery,
    private readonly records: RecordsService,
    private readonly viewPreview: ViewPreviewService,
  ) {}

  @Get()
  async list(@Req() req: FastifyRequest) {
    return await this.query.list(listParams(queryValues(req)));
  }

  @Get('meta/scaffolds')
  scaffolds() {
    return this.collections.scaffolds();
  }

  /** nestbase's own (PocketBase has none): a view query's fields and first rows, nothing saved. */
  @Post('meta/view-preview')
  @HttpCode(200)
  async previewView(@Body() body: unknown) {
    return await this.viewPreview.preview(body);
  }

  @Put('import')
  @HttpCode(204)
  async import(@Body() body: unknown): Promise<void> {
    await this.writes.import(body);
  }

  @Get(':collection')
  async view(@Param('collection') c: string) {
    return await this.query.view(c);
  }

  @Post()
  @HttpCode(200)
  async create(@Body() body: unknown) {
    return await this.writes.create(body);
  }

  @Patch(':collection')
  async update(@Param('collection') c: string, @Body() body: unknown) {
    return await this.writes.update(c, body);
  }

  @Delete(':collection')
  @HttpCode(204)
  async delete(@Param('collection') c: string): Promise<void> {
    await this.writes.delete(c);
  }

  @Delete(':collection/truncate')
  @HttpCode(204)
  async truncate(@Param('collection') c: string): Promise<void> {
    await this.records.truncate(c);
  }
}
