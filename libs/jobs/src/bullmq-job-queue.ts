import { Logger, OnModuleDestroy } from '@nestjs/common';
import type { ConnectionOptions, Job, JobsOptions, Queue, Worker } from 'bullmq';
import { JobHandler, JobOptions, JobQueue } from './job-queue';

/** Key prefix of every BullMQ queue of nestbase (`nestbase:<job name>:…`). */
export const BULLMQ_PREFIX = 'nestbase';

const CONCURRENCY = 4;
const IDLE_POLL_MS = 50;
const IDLE_TIMEOUT_MS = 30_000;
/** Failed jobs kept for inspection (per queue); completed ones are removed at once. */
const KEEP_FAILED = 1000;

type BullmqModule = typeof import('bullmq');

/**
 * Jobs on BullMQ: one queue per job name (so a worker only takes the jobs its process handles),
 * retried with exponential back-off, surviving restarts. Every process mounting the handler of a
 * job name competes for its jobs; each job runs once per attempt. bullmq is loaded only when this
 * queue is created (`REDIS_URL` set).
 */
export class BullmqJobQueue extends JobQueue implements OnModuleDestroy {
  private readonly queues = new Map<string, Queue>();
  private readonly workers = new Map<string, Worker>();
  private readonly logger = new Logger('BullmqJobQueue');
  private closed = false;

  private constructor(
    private readonly bullmq: BullmqModule,
    private readonly connection: ConnectionOptions,
    private readonly prefix: string,
  ) {
    super();
  }

  /** Loads bullmq and checks that Redis answers; rejects when it doesn't within `timeoutMs`. */
  static async connect(url: string, prefix = BULLMQ_PREFIX, timeoutMs = 10_000): Promise<BullmqJobQueue> {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const bullmq = require('bullmq') as BullmqModule;
    const queue = new BullmqJobQueue(bullmq, { url, maxRetriesPerRequest: null }, prefix);
    const probe = queue.queue('nestbase.probe');
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`Redis at ${url} not ready within ${timeoutMs} ms`)), timeoutMs);
    });
    try {
      await Promise.race([probe.waitUntilReady(), timeout]);
    } catch (error) {
      await queue.onModuleDestroy();
      throw error;
    } finally {
      clearTimeout(timer);
    }
    return queue;
  }

  override async add<T>(name: string, payload: T, options: JobOptions = {}): Promise<void> {
    const attempts = options.attempts ?? 3;
    const opts: JobsOptions = {
      attempts,
      backoff: { type: 'exponential', delay: options.backoffMs ?? 500 },
      delay: options.delayMs ?? 0,
      removeOnComplete: true,
      removeOnFail: KEEP_FAILED,
    };
    await this.queue(name).add(name, payload, opts);
  }

  override process<T>(name: string, handler: JobHandler<T>): void {
    if (this.workers.has(name)) {
      throw new Error(`job ${name} already has a handler in this process`);
    }
    const worker = new this.bullmq.Worker(name, async (job: Job) => handler(job.data as T), {
      connection: this.connection,
      prefix: this.prefix,
      concurrency: CONCURRENCY,
    });
    worker.on('failed', (job: Job | undefined, error: Error) => {
      const attempts = job?.opts.attempts ?? 1;
      if (job && job.attemptsMade >= attempts) {
        this.logger.error(`job ${name} failed after ${job.attemptsMade} attempts: ${error.message}`);
      } else {
        this.logger.warn(`job ${name} failed (attempt ${job?.attemptsMade ?? '?'} of ${attempts}): ${error.message}`);
      }
    });
    worker.on('error', (error: Error) => this.logger.error(`worker ${name}: ${error.message}`));
    this.workers.set(name, worker);
  }

  /** Resolves when no queue this process knows has a waiting, delayed or active job (bounded wait). */
  override async idle(): Promise<void> {
    const deadline = Date.now() + IDLE_TIMEOUT_MS;
    while (Date.now() < deadline && !this.closed) {
      const counts = await Promise.all(
        [...this.queues.values()].map((q) => q.getJobCounts('waiting', 'active', 'delayed', 'prioritized', 'wait')),
      );
      if (counts.every((c) => Object.values(c).every((n) => n === 0))) {
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, IDLE_POLL_MS));
    }
  }

  /** Lets running jobs finish, then closes every worker and queue connection. */
  async onModuleDestroy(): Promise<void> {
    this.closed = true;
    await Promise.allSettled([...this.workers.values()].map((w) => w.close()));
    await Promise.allSettled([...this.queues.values()].map((q) => q.close()));
    this.workers.clear();
    this.queues.clear();
  }

  private queue(name: string): Queue {
    if (this.closed) {
      throw new Error('the job queue is closed');
    }
    let queue = this.queues.get(name);
    if (!queue) {
      queue = new this.bullmq.Queue(name, { connection: this.connection, prefix: this.prefix });
      queue.on('error', (error: Error) => this.logger.error(`queue ${name}: ${error.message}`));
      this.queues.set(name, queue);
    }
    return queue;
  }
}
