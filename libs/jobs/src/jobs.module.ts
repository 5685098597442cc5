import { Global, Module } from '@nestjs/common';
import { AppConfig } from '@lib/core';
import { BullmqJobQueue } from './bullmq-job-queue';
import { InProcessJobQueue } from './in-process-job-queue';
import { JobsController } from './jobs.controller';
import { JobQueue } from './job-queue';

/**
 * The job queue: BullMQ on Redis when `REDIS_URL` is configured (working on the jobs `NB_JOB_WORKERS` names),
 * else in-process (where every job runs: no other process would). `GET /api/jobs/{name}` counts a name's unfinished jobs.
 */
@Global()
@Module({
  controllers: [JobsController],
  providers: [
    {
      provide: JobQueue,
      inject: [AppConfig],
      useFactory: (config: AppConfig): JobQueue | Promise<JobQueue> =>
        config.redis?.url
          ? BullmqJobQueue.connect(config.redis.url, { workers: config.jobs.workers, lockMs: config.jobs.lockMs })
          : new InProcessJobQueue(),
    },
  ],
  exports: [JobQueue],
})
export class JobsModule {}
