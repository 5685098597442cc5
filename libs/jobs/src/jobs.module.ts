import { Global, Module } from '@nestjs/common';
import { InProcessJobQueue } from './in-process-job-queue';
import { JobQueue } from './job-queue';

@Global()
@Module({
  providers: [InProcessJobQueue, { provide: JobQueue, useExisting: InProcessJobQueue }],
  exports: [JobQueue],
})
export class JobsModule {}
