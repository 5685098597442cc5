import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query, Req, Res, UseGuards } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { BadRequestError, readBody, SuperuserGuard } from '@lib/core';
import { BackupAccess } from './backup-access';
import { BackupsService } from './backups.service';

const nameOf = (body: unknown): string | undefined => {
  const name = (body as { name?: unknown } | null)?.name;
  if (name !== undefined && name !== null && typeof name !== 'string') {
    throw new BadRequestError('An error occurred while validating the submitted data.', {
      name: { code: 'validation_invalid_value', message: 'Must be a string.' },
    });
  }
  return name ?? undefined;
};

/** PocketBase's backups API. Downloads authenticate with a superuser file token; the rest with the header. */
@Controller('api/backups')
export class BackupsController {
  constructor(
    private readonly backups: BackupsService,
    private readonly access: BackupAccess,
  ) {}

  @Get()
  @UseGuards(SuperuserGuard)
  list() {
    return this.backups.list();
  }

  @Post()
  @UseGuards(SuperuserGuard)
  @HttpCode(204)
  async create(@Body() body: unknown) {
    await this.backups.create(nameOf(body));
  }

  @Post('upload')
  @UseGuards(SuperuserGuard)
  @HttpCode(204)
  async upload(@Req() request: FastifyRequest) {
    await this.backups.upload(readBody(request).files.file?.[0]);
  }

  @Get(':key')
  async download(@Param('key') key: string, @Query('token') token: string | undefined, @Res() reply: FastifyReply) {
    await this.access.requireSuperuserFileToken(token);
    const file = await this.backups.download(key);
    return reply
      .header('content-type', 'application/zip')
      .header('content-length', String(file.size))
      .header('content-disposition', `attachment; filename="${key}"`)
      .header('content-security-policy', "default-src 'none'; sandbox")
      .send(file.stream);
  }

  @Delete(':key')
  @UseGuards(SuperuserGuard)
  @HttpCode(204)
  async delete(@Param('key') key: string) {
    await this.backups.delete(key);
  }

  @Post(':key/restore')
  @UseGuards(SuperuserGuard)
  @HttpCode(204)
  async restore(@Param('key') key: string) {
    await this.backups.restore(key);
  }
}
