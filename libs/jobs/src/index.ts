export { JobQueue } from './job-queue';
export type { JobOptions, JobHandler } from './job-queue';
export { InProcessJobQueue } from './in-process-job-queue';
export { BullmqJobQueue, BULLMQ_PREFIX } from './bullmq-job-queue';
export type { BullmqQueueOptions } from './bullmq-job-queue';
export { RedisCounter } from './redis-counter';
export { JobsModule } from './jobs.module';
