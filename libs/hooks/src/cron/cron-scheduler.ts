import { Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { TickLock } from '@lib/events';
import { JobQueue } from '@lib/jobs';
import { HookDataService } from '../hook-data.service';
import { HookRegistry, type CronDef } from '../hook-registry';

/** The job that runs one tick of a cron (BullMQ with Redis: retried with back-off, re-run if its worker dies). */
export const CRON_JOB = 'cron.run';

interface CronRun {
  name: string;
  time: string;
}

/** How long a tick's claim lives: far longer than any clock skew between instances, short enough to expire. */
const CLAIM_TTL_MS = 10 * 60 * 1000;

/**
 * Runs the `cronAdd` jobs: one timer per job in every instance; at each tick every instance asks the
 * TickLock for `cron:<name>:<tick time>` and only the winner queues the tick as a `cron.run` job, so a job
 * runs once per tick across all instances (Redis when configured, this process otherwise). The job queue
 * runs it where the handler is loaded and `NB_JOB_WORKERS` allows it, retrying failures with back-off
 * (3 attempts); on BullMQ a tick whose worker process dies runs again elsewhere.
 */
@Injectable()
export class CronScheduler implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('cron');
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly running = new Set<Promise<void>>();
  private stopped = false;

  constructor(
    private readonly registry: HookRegistry,
    private readonly lock: TickLock,
    private readonly data: HookDataService,
    private readonly jobs: JobQueue,
  ) {}

  onModuleInit(): void {
    this.jobs.process<CronRun>(CRON_JOB, (run) => this.run(run));
  }

  start(): void {
    this.stopped = false;
    for (const cron of this.registry.crons.values()) {
      this.schedule(cron, new Date());
    }
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    this.timers.forEach((timer) => clearTimeout(timer));
    this.timers.clear();
    await Promise.allSettled([...this.running]);
  }

  private schedule(cron: CronDef, after: Date): void {
    if (this.stopped) {
      return;
    }
    const tick = cron.schedule.next(after);
    // Timers may fire a little early: wait for the tick itself, then claim it by its scheduled time.
    const timer = setTimeout(
      () => {
        this.timers.delete(cron.name);
        if (Date.now() < tick.getTime()) {
          this.schedule(cron, new Date(tick.getTime() - 1000));
          return;
        }
        const run = this.fire(cron, tick).finally(() => this.running.delete(run));
        this.running.add(run);
        this.schedule(cron, new Date(Math.max(tick.getTime(), Date.now() - 1)));
      },
      Math.max(0, tick.getTime() - Date.now()),
    );
    timer.unref();
    this.timers.set(cron.name, timer);
  }

  private async fire(cron: CronDef, tick: Date): Promise<void> {
    const time = tick.toISOString();
    try {
      if (!(await this.lock.acquire(`cron:${cron.name}:${time}`, CLAIM_TTL_MS))) {
        return;
      }
      await this.jobs.add<CronRun>(CRON_JOB, { name: cron.name, time }, { attempts: 3, backoffMs: 1000 });
    } catch (error) {
      this.logger.error(`cron "${cron.name}" at ${time} not queued: ${describe(error)}`);
    }
  }

  /** One tick of a cron; a job whose cron is gone (hooks reloaded without it) is dropped. */
  private async run({ name, time }: CronRun): Promise<void> {
    const cron = this.registry.crons.get(name);
    if (!cron) {
      return;
    }
    try {
      await this.data.fresh();
      await cron.handler({ app: this.data.api(null), name, time });
    } catch (error) {
      this.logger.error(`cron "${name}" at ${time} failed: ${describe(error)}`);
      throw error;
    }
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? (error.stack ?? error.message) : String(error);
}
