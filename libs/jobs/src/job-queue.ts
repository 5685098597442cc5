import { JOB_NAMES } from '@lib/core';

export interface JobOptions {
  /** Total tries before the job is given up (default 3). */
  attempts?: number;
  /** Delay before the first retry, doubled on each further one (default 500 ms). */
  backoffMs?: number;
  /** Delay before the first run (default 0). */
  delayMs?: number;
}

export type JobHandler<T> = (payload: T) => Promise<void>;

/**
 * The queues `nb_jobs_queued` reports: every job nestbase queues (`mail.send`, `files.delete`), 0 while empty,
 * whether or not this process used it yet, plus the names it did use (each cron's `cron.run.<cron>`).
 */
export function reportedJobNames(used: Iterable<string>): string[] {
  const fixed = JOB_NAMES.filter((name) => name !== 'cron.run');
  return [...new Set<string>([...fixed, ...used])];
}

/**
 * Work that must run outside the request and retry on failure (mail, file clean-up, thumbnails).
 * Implementations: in-process now; BullMQ on Redis in the distributed set. Payloads are plain JSON:
 * ids and values, never live objects.
 */
export abstract class JobQueue {
  abstract add<T>(name: string, payload: T, options?: JobOptions): Promise<void>;
  /** Registers the one handler of a job name in this process. */
  abstract process<T>(name: string, handler: JobHandler<T>): void;
  /** Resolves when no job is queued or running (tests, shutdown). */
  abstract idle(): Promise<void>;
  /**
   * Jobs of `name` not finished yet: waiting, delayed (first run or a retry's back-off) or running. On a shared
   * queue (BullMQ) every process's jobs count, whichever process asks.
   */
  abstract pending(name: string): Promise<number>;
}
