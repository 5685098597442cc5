import { Body, Controller, HttpCode, Post, UseGuards } from '@nestjs/common';
import { SuperuserGuard } from '@lib/core';
import { StorageCheckService } from '../storage-check.service';

@Controller('api/settings/test/s3')
@UseGuards(SuperuserGuard)
export class StorageTestController {
  constructor(private readonly check: StorageCheckService) {}

  @Post()
  @HttpCode(204)
  async test(@Body() body: unknown): Promise<void> {
    await this.check.testS3(body);
  }
}
