import { Logger, OnModuleDestroy } from '@nestjs/common';
import type { ConnectionOptions, Job, JobsOptions, Queue, Worker } from 'bullmq';
import { captureContext, NB_METRICS, runFromCarrier, type ContextCarrier } from '@lib/core';
import { JobHandler, JobOptions, JobQueue, reportedJobNames } from './job-queue';

/** Key prefix of every BullMQ queue of nestbase (`nestbase:<job name>:…`). */
export const BULLMQ_PREFIX = 'nestbase';

const CONCURRENCY = 4;
const IDLE_POLL_MS = 50;
const IDLE_TIMEOUT_MS = 30_000;
/** Failed jobs kept for inspection (per queue); completed ones are removed at once. */
const KEEP_FAILED = 1000;
/** How long adding a job may hold its caller before Redis counts as unavailable for it. */
const ENQUEUE_WAIT_MS = 2000;

type BullmqModule = typeof import('bullmq');

/**
 * A job added during a request carries its context (request id, trace): its data is `{ $nbctx, payload }`. Jobs
 * without one (added outside a request, or by an older version) are the payload itself.
 */
const CONTEXT_KEY = '$nbctx';
interface WithContext {
  [CONTEXT_KEY]: ContextCarrier;
  payload: unknown;
}

function withContext(data: unknown): data is WithContext {
  return typeof data === 'object' && data !== null && CONTEXT_KEY in data && 'payload' in data;
}

export interface BullmqQueueOptions {
  /** Key prefix (default `nestbase`). */
  prefix?: string;
  /** Job names this process works on (`NB_JOB_WORKERS`); `'*'` (default) for all. Others are only added. */
  workers?: readonly string[] | '*';
  /**
   * How long a running job's lock lasts without renewal (`NB_JOB_LOCK_MS`, default 30 s): when the worker
   * process dies, its jobs go back to the queue after at most this plus half of it (the stalled check).
   */
  lockMs?: number;
  /** How long `connect` waits for Redis (default 10 s). */
  timeoutMs?: number;
}

/** How often a job may lose its worker (killed process) and still be put back in the queue. */
const MAX_STALLED = 3;
/**
 * How long closing waits for running jobs. A worker whose Redis connection is reconnecting never
 * finishes closing (taskforcesh/bullmq#4656); its unfinished jobs go back to the queue when their locks expire.
 */
const CLOSE_TIMEOUT_MS = 5000;
/** The states of a job not finished yet. */
const PENDING_STATES = ['waiting', 'active', 'delayed', 'prioritized', 'waiting-children'] as const;
/** Queue handles one process keeps (its own job names and the ones `pending` is asked about). */
const MAX_QUEUES = 64;
/** How long a scrape waits for the queue counts (Redis away: the last ones known). */
const COUNTS_WAIT_MS = 500;
/** The queue `connect` checks Redis with (not a job: left out of `nb_jobs_queued`). */
const PROBE = 'nestbase.probe';

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
  private readonly depths = new Map<string, number>();
  private readonly unmeasure = NB_METRICS.jobsQueued.addSource(() => this.countQueued());

  private constructor(
    private readonly bullmq: BullmqModule,
    private readonly connection: ConnectionOptions,
    private readonly options: Required<Omit<BullmqQueueOptions, 'timeoutMs'>>,
  ) {
    super();
  }

  /** Loads bullmq and checks that Redis answers; rejects when it doesn't within `timeoutMs`. */
  static async connect(url: string, options: BullmqQueueOptions = {}): Promise<BullmqJobQueue> {
    const { prefix = BULLMQ_PREFIX, workers = '*', lockMs = 30_000, timeoutMs = 10_000 } = options;
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const bullmq = require('bullmq') as BullmqModule;
    const queue = new BullmqJobQueue(bullmq, { url, maxRetriesPerRequest: null }, { prefix, workers, lockMs });
    const probe = queue.queue(PROBE);
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
    const carrier = captureContext(`enqueue ${name}`, { 'messaging.destination.name': name });
    const data: unknown = carrier ? { [CONTEXT_KEY]: carrier, payload } : payload;
    const adding = this.queue(name).add(name, data, opts);
    // Redis down: the add waits in the client's offline queue and goes in once Redis is back; the request
    // that made the job doesn't wait for that (it would hang for the whole outage).
    let timer: NodeJS.Timeout | undefined;
    const waited = new Promise<'pending'>((resolve) => (timer = setTimeout(() => resolve('pending'), ENQUEUE_WAIT_MS)));
    try {
      if ((await Promise.race([adding, waited])) === 'pending') {
        this.logger.warn(`Redis unavailable: job ${name} is held in this process until it is back`);
        adding.catch((error: unknown) => this.logger.error(`job ${name} was not queued: ${String(error)}`));
      }
    } finally {
      clearTimeout(timer);
    }
  }

  /**
   * Starts this process's worker of `name`, unless `NB_JOB_WORKERS` leaves the name out (then the jobs
   * wait for a process that works on them). A job whose worker dies mid-run is put back in the queue
   * once its lock expires and runs again elsewhere.
   */
  override process<T>(name: string, handler: JobHandler<T>): void {
    if (this.workers.has(name)) {
      throw new Error(`job ${name} already has a handler in this process`);
    }
    const { workers, lockMs, prefix } = this.options;
    // A listed name covers its sub-names too: `cron.run` covers every cron's `cron.run.<name>`.
    if (workers !== '*' && !workers.some((w) => name === w || name.startsWith(`${w}.`))) {
      this.logger.debug(`job ${name} is not worked on in this process (NB_JOB_WORKERS)`);
      return;
    }
    const run = async (job: Job) => {
      const data: unknown = job.data;
      if (!withContext(data)) {
        return handler(data as T);
      }
      const attributes = { 'messaging.destination.name': name, 'messaging.message.id': job.id ?? '' };
      return runFromCarrier(data[CONTEXT_KEY], `job ${name}`, attributes, () => handler(data.payload as T));
    };
    const worker = new this.bullmq.Worker(name, run, {
      connection: this.connection,
      prefix,
      concurrency: CONCURRENCY,
      lockDuration: lockMs,
      stalledInterval: Math.max(500, Math.round(lockMs / 2)),
      maxStalledCount: MAX_STALLED,
    });
    worker.on('completed', () => NB_METRICS.jobsCompleted.labels(name).inc());
    worker.on('failed', (job: Job | undefined, error: Error) => {
      NB_METRICS.jobsFailed.labels(name).inc();
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

  /**
   * Every process's unfinished jobs of `name`, counted in Redis. A name this process neither adds nor works on
   * gets a queue handle too (kept: the same names are asked again), up to `MAX_QUEUES`; past that, a transient one.
   */
  override async pending(name: string): Promise<number> {
    const known = this.queues.get(name);
    const queue =
      known ??
      (this.queues.size < MAX_QUEUES
        ? this.queue(name)
        : new this.bullmq.Queue(name, { connection: this.connection, prefix: this.options.prefix }));
    try {
      const counts = await queue.getJobCounts(...PENDING_STATES);
      return Object.values(counts).reduce((a, b) => a + b, 0);
    } finally {
      if (!known && !this.queues.has(name)) {
        await queue.close();
      }
    }
  }

  /** Lets running jobs finish (for up to `CLOSE_TIMEOUT_MS`), then closes every worker and queue connection. */
  async onModuleDestroy(): Promise<void> {
    this.unmeasure();
    this.closed = true;
    const workers = [...this.workers.values()];
    const queues = [...this.queues.values()];
    this.workers.clear();
    this.queues.clear();
    const closed = await settleWithin(
      workers.map((w) => w.close()),
      CLOSE_TIMEOUT_MS,
    );
    if (!closed) {
      this.logger.warn(`job workers not closed within ${CLOSE_TIMEOUT_MS} ms; leaving them`);
      for (const worker of workers) {
        worker.disconnect().catch(() => undefined);
      }
    }
    await settleWithin(
      queues.map((q) => q.close()),
      CLOSE_TIMEOUT_MS,
    );
  }

  /** Waiting, delayed and prioritized jobs of the queues this process knows (a scrape waits 500 ms at most). */
  private async countQueued(): Promise<[string[], number][]> {
    if (this.closed) {
      return [];
    }
    // every known queue (made here when this process hasn't used it yet), not the start-up probe's
    const names = reportedJobNames([...this.queues.keys(), ...this.workers.keys()]).filter((n) => n !== PROBE);
    const counting = Promise.all(
      names.map(async (name) => {
        const queue = this.queue(name);
        const counts = await queue.getJobCounts('waiting', 'delayed', 'prioritized');
        this.depths.set(
          name,
          Object.values(counts).reduce((a, b) => a + b, 0),
        );
      }),
    ).catch(() => undefined);
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([counting, new Promise((resolve) => (timer = setTimeout(resolve, COUNTS_WAIT_MS)))]);
    clearTimeout(timer);
    return [...this.depths].map(([name, n]) => [[name], n]);
  }

  private queue(name: string): Queue {
    if (this.closed) {
      throw new Error('the job queue is closed');
    }
    let queue = this.queues.get(name);
    if (!queue) {
      queue = new this.bullmq.Queue(name, { connection: this.connection, prefix: this.options.prefix });
      queue.on('error', (error: Error) => this.logger.error(`queue ${name}: ${error.message}`));
      this.queues.set(name, queue);
    }
    return queue;
  }
}

/** Waits for every promise to settle, or `ms`; true when they all did. */
async function settleWithin(promises: Promise<unknown>[], ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), ms)));
  try {
    return await Promise.race([Promise.allSettled(promises).then(() => true), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
