import { Controller, Get, Param, UseGuards } from '@nestjs/common';
import { BadRequestError, SuperuserGuard } from '@lib/core';
import { JobQueue } from './job-queue';

/** Job names: `mail.send`, `files.delete`, `cron.run.<cron name>`. */
const JOB_NAME = /^[\w.:-]{1,200}$/;

/**
 * `GET /api/jobs/{name}` (superusers; nestbase only): `{name, pending}`, the jobs of that name not finished yet
 * (waiting, delayed, retrying or running) on the deployment's queue. Zero after a request that queued mail means
 * the mail is sent (or given up): tests wait on it instead of sleeping.
 */
@Controller('api/jobs')
@UseGuards(SuperuserGuard)
export class JobsController {
  constructor(private readonly jobs: JobQueue) {}

  @Get(':name')
  async pending(@Param('name') name: string) {
    if (!JOB_NAME.test(name)) {
      throw new BadRequestError('Invalid job name.');
    }
    return { name, pending: await this.jobs.pending(name) };
  }
}
