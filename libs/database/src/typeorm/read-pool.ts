import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import { Logger } from '@nestjs/common';
import { ServiceUnavailableError, workerHeap } from '@lib/core';
import { INTERRUPTED } from './query-deadline';
import type { ReadJob, ReadResult, ReadWorkerData } from './read-worker';
import { queryTimeout } from './query-timeout';
import { StatementCosts } from './statement-costs';

/** Extra time a worker gets past the limit to report its own interrupt before it is given up. */
const GRACE_MS = 250;
/** How long a read may wait for a free worker (at least; twice the limit when that is longer). */
const MIN_QUEUE_MS = 2000;

interface Pending {
  job: ReadJob;
  deadline: number;
  resolve(rows: unknown[]): void;
  reject(error: unknown): void;
}

interface Slot {
  worker: Worker;
  /** True once the worker has opened its connection. */
  ready: boolean;
  busy: Pending | null;
  timer: NodeJS.Timeout | null;
}

const logger = new Logger('ReadPool');

/**
 * Read queries off the event loop: `size` worker threads, each with its own read-only connection, run
 * SELECTs under the time limit. A statement past the limit is stopped by the interrupt function; one that
 * doesn't stop (a long step that calls no function) is given up after a grace period — its request gets
 * the same 400, the worker is terminated and a fresh one takes its place. Queued jobs wait at most the
 * limit for a worker (then 503).
 */
export class ReadPool {
  private readonly slots: Slot[] = [];
  private readonly queue: Pending[] = [];
  private nextId = 1;
  private closed = false;

  private started = false;
  /** What each statement cost lately (`OffloadedReads` runs the cheap ones inline). */
  readonly costs = new StatementCosts();

  /** The workers start with the first read (an idle process keeps its memory). */
  constructor(
    private readonly data: ReadWorkerData,
    private readonly size: number,
    private readonly timeoutMs: number,
  ) {}

  /** False once every worker failed to start. */
  get available(): boolean {
    return !this.started || this.slots.length > 0;
  }

  query<T>(sql: string, params: readonly unknown[]): Promise<T[]> {
    if (!this.started) {
      this.started = true;
      for (let i = 0; i < this.size; i++) {
        this.slots.push(this.spawn());
      }
    }
    return new Promise<unknown[]>((resolve, reject) => {
      const job: ReadJob = { id: this.nextId++, sql, params: [...params], timeoutMs: this.timeoutMs };
      const wait = this.timeoutMs > 0 ? Math.max(MIN_QUEUE_MS, this.timeoutMs * 2) : Infinity;
      this.queue.push({ job, deadline: performance.now() + wait, resolve, reject });
      this.dispatch();
    }) as Promise<T[]>;
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const pending of this.queue.splice(0)) {
      pending.reject(new ServiceUnavailableError('The server is shutting down.'));
    }
    // A worker stuck in a long step ends only when the step does: don't hold the shutdown for it.
    const retired = Promise.all(this.slots.map((slot) => this.retire(slot)));
    await Promise.race([retired, new Promise((resolve) => setTimeout(resolve, 1000).unref())]);
  }

  private spawn(): Slot {
    const { heapFlags, resourceLimits } = workerHeap();
    const worker = new Worker(path.join(__dirname, 'read-worker.js'), {
      workerData: { ...this.data, heapFlags },
      resourceLimits,
    });
    const slot: Slot = { worker, ready: false, busy: null, timer: null };
    worker.on('message', (result: ReadResult | { ready: true }) => {
      if ('ready' in result) {
        slot.ready = true;
        this.dispatch();
      } else {
        this.settle(slot, result);
      }
    });
    worker.on('error', (error: Error) => this.replace(slot, error));
    worker.unref();
    return slot;
  }

  private dispatch(): void {
    for (const slot of this.slots) {
      if (slot.busy || !slot.ready) {
        continue;
      }
      let pending = this.queue.shift();
      while (pending && pending.deadline < performance.now()) {
        pending.reject(new ServiceUnavailableError('The server is busy, please try again.'));
        pending = this.queue.shift();
      }
      if (!pending) {
        return;
      }
      slot.busy = pending;
      slot.timer = this.timeoutMs > 0 ? setTimeout(() => this.giveUp(slot), this.timeoutMs + GRACE_MS) : null;
      slot.worker.postMessage(pending.job);
    }
  }

  private settle(slot: Slot, result: ReadResult): void {
    const pending = slot.busy;
    if (!pending || pending.job.id !== result.id) {
      return;
    }
    this.free(slot);
    if ('rows' in result) {
      this.costs.record(pending.job.sql, result.us);
      pending.resolve(result.rows);
    } else if (result.error.message.includes(INTERRUPTED)) {
      pending.reject(queryTimeout(this.timeoutMs));
    } else {
      pending.reject(Object.assign(new Error(result.error.message), { code: result.error.code }));
    }
    this.dispatch();
  }

  /** The worker is stuck in a step past the limit: answer the request and put a fresh worker in its place. */
  private giveUp(slot: Slot): void {
    const pending = slot.busy;
    this.replace(slot, null);
    pending?.reject(queryTimeout(this.timeoutMs));
  }

  private replace(slot: Slot, error: Error | null): void {
    const pending = slot.busy;
    this.free(slot);
    if (error) {
      logger.error(`read worker failed: ${error.message}`);
      pending?.reject(error);
    }
    void this.retire(slot);
    const index = this.slots.indexOf(slot);
    if (error && !slot.ready && index >= 0) {
      // It failed to start (no database file, no thread): no respawn loop; reads fall back to the main thread.
      this.slots.splice(index, 1);
      if (this.slots.length === 0) {
        for (const queued of this.queue.splice(0)) {
          queued.reject(new ServiceUnavailableError('The server is busy, please try again.'));
        }
      }
      return;
    }
    if (!this.closed && index >= 0) {
      this.slots[index] = this.spawn();
      this.dispatch();
    }
  }

  private free(slot: Slot): void {
    if (slot.timer) {
      clearTimeout(slot.timer);
    }
    slot.timer = null;
    slot.busy = null;
  }

  private async retire(slot: Slot): Promise<void> {
    slot.worker.removeAllListeners('message');
    slot.worker.removeAllListeners('error');
    slot.worker.on('error', () => undefined);
    await slot.worker.terminate().catch(() => undefined);
  }
}
