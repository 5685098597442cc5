import { Controller, Get, HttpCode, Param, Post, UseGuards } from '@nestjs/common';
import { SuperuserGuard } from '@lib/core';
import { CronScheduler } from '@lib/hooks';

/** `GET /api/crons` and `POST /api/crons/{id}` (runs the job now, in the background). */
@Controller('api/crons')
@UseGuards(SuperuserGuard)
export class CronsController {
  constructor(private readonly crons: CronScheduler) {}

  @Get()
  list() {
    return this.crons.list();
  }

  @Post(':id')
  @HttpCode(204)
  run(@Param('id') id: string) {
    this.crons.runNow(id);
  }
}
