import { Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { NB_METRICS } from '@lib/core';
import { JobHandler, JobOptions, JobQueue, reportedJobNames } from './job-queue';

interface PendingJob {
  name: string;
  payload: unknown;
  attempt: number;
  options: Required<JobOptions>;
}

/**
 * Runs jobs in this process, one at a time per job, with exponential back-off retries. Every handler
 * registered runs (`NB_JOB_WORKERS` applies to BullMQ only: no other process would run these jobs).
 */
@Injectable()
export class InProcessJobQueue extends JobQueue implements OnApplicationShutdown {
  private readonly handlers = new Map<string, JobHandler<unknown>>();
  private readonly waiting = new Map<string, PendingJob[]>();
  private running = 0;
  /** Jobs running now, by name. */
  private readonly active = new Map<string, number>();
  private timers = new Set<NodeJS.Timeout>();
  private idleWaiters: (() => void)[] = [];
  private readonly logger = new Logger('JobQueue');
  /** Jobs scheduled (waiting for their delay or back-off) by name, for the queue-depth gauge. */
  private readonly scheduled = new Map<string, number>();
  private readonly unmeasure = NB_METRICS.jobsQueued.addSource(() => this.depths());

  override async add<T>(name: string, payload: T, options: JobOptions = {}): Promise<void> {
    const job: PendingJob = {
      name,
      payload: JSON.parse(JSON.stringify(payload)) as unknown,
      attempt: 0,
      options: { attempts: options.attempts ?? 3, backoffMs: options.backoffMs ?? 500, delayMs: options.delayMs ?? 0 },
    };
    this.schedule(job, job.options.delayMs);
  }

  override process<T>(name: string, handler: JobHandler<T>): void {
    this.handlers.set(name, handler as JobHandler<unknown>);
    for (const job of this.waiting.get(name) ?? []) {
      this.schedule(job, 0);
    }
    this.waiting.delete(name);
  }

  override idle(): Promise<void> {
    if (this.running === 0 && this.timers.size === 0) {
      return Promise.resolve();
    }
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  override pending(name: string): Promise<number> {
    const queued = (this.scheduled.get(name) ?? 0) + (this.waiting.get(name)?.length ?? 0);
    return Promise.resolve(queued + (this.active.get(name) ?? 0));
  }

  onApplicationShutdown(): void {
    this.unmeasure();
    for (const timer of this.timers) {
      clearTimeout(timer);
    }
    this.timers.clear();
    this.settle();
  }

  private depths(): [string[], number][] {
    const depth = new Map(reportedJobNames([...this.handlers.keys(), ...this.scheduled.keys()]).map((n) => [n, 0]));
    for (const [name, n] of this.scheduled) {
      depth.set(name, (depth.get(name) ?? 0) + n);
    }
    for (const [name, jobs] of this.waiting) {
      depth.set(name, (depth.get(name) ?? 0) + jobs.length);
    }
    return [...depth].map(([name, n]) => [[name], n]);
  }

  private schedule(job: PendingJob, delayMs: number): void {
    this.scheduled.set(job.name, (this.scheduled.get(job.name) ?? 0) + 1);
    const timer = setTimeout(() => {
      this.scheduled.set(job.name, (this.scheduled.get(job.name) ?? 1) - 1);
      this.timers.delete(timer);
      void this.run(job);
    }, delayMs);
    this.timers.add(timer);
  }

  private async run(job: PendingJob): Promise<void> {
    const handler = this.handlers.get(job.name);
    if (!handler) {
      const list = this.waiting.get(job.name) ?? [];
      list.push(job);
      this.waiting.set(job.name, list);
      this.settle();
      return;
    }
    this.running++;
    this.active.set(job.name, (this.active.get(job.name) ?? 0) + 1);
    try {
      await handler(job.payload);
      NB_METRICS.jobsCompleted.labels(job.name).inc();
    } catch (error) {
      NB_METRICS.jobsFailed.labels(job.name).inc();
      job.attempt++;
      if (job.attempt < job.options.attempts) {
        this.schedule(job, job.options.backoffMs * 2 ** (job.attempt - 1));
      } else {
        this.logger.error(`job ${job.name} failed after ${job.attempt} attempts: ${String(error)}`);
      }
    } finally {
      this.running--;
      this.active.set(job.name, (this.active.get(job.name) ?? 1) - 1);
      this.settle();
    }
  }

  private settle(): void {
    if (this.running === 0 && this.timers.size === 0) {
      const waiters = this.idleWaiters;
      this.idleWaiters = [];
      waiters.forEach((resolve) => resolve());
    }
  }
}
