import { Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { Clock, NotFoundError } from '@lib/core';
import { TickLock } from '@lib/events';
import { JobQueue } from '@lib/jobs';
import { HookDataService } from '../hook-data.service';
import { HookRegistry, type CronDef } from '../hook-registry';
import { CronSchedule } from './cron-schedule';

/**
 * The job that runs one tick of a cron (BullMQ with Redis: retried with back-off, re-run if its worker dies): one
 * job name (a queue) per cron, `cron.run.<name>`, so only a process that has the cron takes its ticks (another
 * process on the same Redis without it, a records service without the hooks, never sees them).
 */
export const CRON_JOB = 'cron.run';
export const cronJobName = (cron: string): string => `${CRON_JOB}.${encodeURIComponent(cron)}`;

interface CronRun {
  name: string;
  time: string;
}

/** One job as `GET /api/crons` lists it. */
export interface CronJobView {
  id: string;
  expression: string;
}

/** On a clock that can jump (a test's), timers wake at least this often to see the moved time. */
const JUMP_CHECK_MS = 1000;

/** How long a tick's claim lives: far longer than any clock skew between instances, short enough to expire. */
const CLAIM_TTL_MS = 10 * 60 * 1000;

/**
 * Runs the `cronAdd` jobs: one timer per job in every instance; at each tick every instance asks the
 * TickLock for `cron:<name>:<tick time>` and only the winner queues the tick as a `cron.run` job, so a job
 * runs once per tick across all instances (Redis when configured, this process otherwise). The job queue
 * runs it where the handler is loaded and `NB_JOB_WORKERS` allows it, retrying failures with back-off
 * (3 attempts); on BullMQ a tick whose worker process dies runs again elsewhere. Ticks are times of the injected
 * clock: a test moves it to a tick instead of waiting for it.
 */
@Injectable()
export class CronScheduler implements OnApplicationShutdown {
  private readonly logger = new Logger('cron');
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly running = new Set<Promise<void>>();
  /** The app's own jobs (log pruning, backups, auth-state clean-up), listed after the hooks' `cronAdd` jobs. */
  private readonly system = new Map<string, CronDef>();
  private stopped = false;
  private started = false;

  constructor(
    private readonly registry: HookRegistry,
    private readonly lock: TickLock,
    private readonly data: HookDataService,
    private readonly jobs: JobQueue,
    private readonly clock: Clock,
  ) {}

  /** Jobs this process works on: every cron it has scheduled. */
  private readonly workers = new Set<string>();

  private work(name: string): void {
    if (!this.workers.has(name)) {
      this.workers.add(name);
      this.jobs.process<CronRun>(cronJobName(name), (run) => this.run(run));
    }
  }

  start(): void {
    this.stopped = false;
    this.started = true;
    for (const cron of [...this.registry.crons.values(), ...this.system.values()]) {
      this.schedule(cron, this.clock.date());
    }
  }

  /** Registers (or replaces) a system job; throws `CronSyntaxError` for a bad expression. */
  addSystem(name: string, expression: string, handler: () => Promise<void>): void {
    const schedule = CronSchedule.parse(expression);
    this.removeSystem(name);
    const cron: CronDef = { name, schedule, handler: () => handler() };
    this.system.set(name, cron);
    if (this.started) {
      this.schedule(cron, this.clock.date());
    }
  }

  removeSystem(name: string): void {
    if (this.system.delete(name)) {
      clearTimeout(this.timers.get(name));
      this.timers.delete(name);
    }
  }

  /** Every job: the hooks' ones by id, then the system ones by id (PocketBase lists its `__pb*` jobs last). */
  list(): CronJobView[] {
    const view = (jobs: Iterable<CronDef>) =>
      [...jobs]
        .map((cron) => ({ id: cron.name, expression: cron.schedule.expression }))
        .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    const hooks = [...this.registry.crons.values()].filter((cron) => !this.system.has(cron.name));
    return [...view(hooks), ...view(this.system.values())];
  }

  /** Runs a job now, in the background (its failure is logged); 404 for an unknown id. */
  runNow(id: string): void {
    if (!this.find(id)) {
      throw new NotFoundError('Missing or invalid cron job.');
    }
    const time = this.clock.date().toISOString();
    const run = this.run({ name: id, time })
      .catch(() => undefined)
      .finally(() => this.running.delete(run));
    this.running.add(run);
  }

  private find(name: string): CronDef | undefined {
    return this.system.get(name) ?? this.registry.crons.get(name);
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    this.started = false;
    this.timers.forEach((timer) => clearTimeout(timer));
    this.timers.clear();
    await Promise.allSettled([...this.running]);
  }

  private schedule(cron: CronDef, after: Date): void {
    if (this.stopped) {
      return;
    }
    this.work(cron.name);
    const tick = cron.schedule.next(after);
    // Timers may fire a little early (or the clock moved back): wait for the tick itself, then claim it by its
    // scheduled time.
    const wait = tick.getTime() - this.clock.now();
    const timer = setTimeout(
      () => {
        this.timers.delete(cron.name);
        if (this.find(cron.name) !== cron) {
          return;
        }
        if (this.clock.now() < tick.getTime()) {
          this.schedule(cron, new Date(tick.getTime() - 1000));
          return;
        }
        const run = this.fire(cron, tick).finally(() => this.running.delete(run));
        this.running.add(run);
        this.schedule(cron, new Date(Math.max(tick.getTime(), this.clock.now() - 1)));
      },
      Math.max(0, this.clock.jumps ? Math.min(wait, JUMP_CHECK_MS) : wait),
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
      await this.jobs.add<CronRun>(cronJobName(cron.name), { name: cron.name, time }, { attempts: 3, backoffMs: 1000 });
    } catch (error) {
      this.logger.error(`cron "${cron.name}" at ${time} not queued: ${describe(error)}`);
    }
  }

  /** One tick of a cron; a job whose cron is gone here (hooks reloaded without it) is dropped, and says so. */
  private async run({ name, time }: CronRun): Promise<void> {
    const cron = this.find(name);
    if (!cron) {
      this.logger.warn(`cron "${name}" at ${time} dropped: this process no longer has it`);
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
