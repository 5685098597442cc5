export { JobQueue } from './job-queue';
export type { JobOptions, JobHandler } from './job-queue';
export { InProcessJobQueue } from './in-process-job-queue';
export { JobsModule } from './jobs.module';
