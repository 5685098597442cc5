import { Controller, Get, HttpCode, Param, Post, UseGuards } from '@nestjs/common';
import { SuperuserGuard } from '@lib/core';
import { CronScheduler } from '@lib/hooks';
import { AutoBackup } from '../backups/auto-backup';

/**
 * `GET /api/crons` and `POST /api/crons/{id}` (runs the job now, in the background). Both first bring
 * `__pbAutoBackup__` in line with `backups.cron` as the database has it now: a replica answering just after another
 * one saved the setting lists and runs the job as that replica does, not after its next periodic read.
 */
@Controller('api/crons')
@UseGuards(SuperuserGuard)
export class CronsController {
  constructor(
    private readonly crons: CronScheduler,
    private readonly autoBackup: AutoBackup,
  ) {}

  @Get()
  async list() {
    await this.autoBackup.sync();
    return this.crons.list();
  }

  @Post(':id')
  @HttpCode(204)
  async run(@Param('id') id: string) {
    await this.autoBackup.sync();
    this.crons.runNow(id);
  }
}
