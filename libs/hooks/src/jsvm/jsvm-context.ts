import { AsyncLocalStorage } from 'node:async_hooks';
import { MigrationQueue, type Queued } from '../migrations/migration-queue';
import type { HookData } from '../hook-types';
import type { HookRecord } from '../hook-record';

/** What a PocketBase-style hook file reaches at run time: the data helpers and the services of the process. */
export interface JsvmHost {
  /** Set once the app is bootstrapped. */
  data: HookData | null;
  services: HookServices | null;
}

/** The services behind `$app.settings()`, `$mails`, `$app.newMailClient()` … (those the process has). */
export interface HookServices {
  settings(): Record<string, unknown>;
  dataDir: string;
  isDev: boolean;
  /** Queues a mail (through `onMailerSend` hooks); null where the process sends no mail. */
  sendMail:
    | ((message: {
        to: { address: string; name?: string }[];
        subject: string;
        html: string;
        text?: string;
      }) => Promise<void>)
    | null;
  /** The auth flows' mails (`$mails.sendRecordPasswordReset(record)` …), by kind; null where there are none. */
  sendRecordMail:
    ((kind: string, collection: string, record: Record<string, unknown>, extra: unknown[]) => Promise<void>) | null;
  /** Records as the API answers them to `auth` (null: a guest), `expand` expanded; null where there are none. */
  presentRecords:
    | ((
        collection: string,
        records: Record<string, unknown>[],
        auth: HookRecord | null,
        expand: string,
      ) => Promise<Record<string, unknown>[]>)
    | null;
}

/** One handler run: the data helpers it works with (a write hook's transaction) and its queued calls. */
interface Invocation {
  data: HookData;
  queue: MigrationQueue;
}

const current = new AsyncLocalStorage<Invocation>();

/**
 * Runs a handler of a PocketBase-style file. Its asynchronous calls (`e.next()`, `$app.save`, mails) are queued in
 * call order (the migrations' queue), so a file written without `await` still has them run in order; the run ends
 * once they all did, and the first one that failed unobserved fails it.
 */
export async function invoke(data: HookData, fn: () => unknown): Promise<unknown> {
  const queue = new MigrationQueue();
  return current.run({ data, queue }, async () => {
    let result: unknown;
    let thrown: { error: unknown } | null = null;
    try {
      result = await fn();
    } catch (error) {
      thrown = { error };
      queue.stop();
    }
    await queue.drain();
    if (thrown) {
      throw thrown.error;
    }
    return result;
  });
}

/** Queues `work` on the running handler's queue (runs it at once outside handlers). */
export function queued<T>(work: () => Promise<T>): Queued<T> {
  const run = current.getStore();
  if (run) {
    return run.queue.push(work);
  }
  const promise = work();
  promise.catch(() => undefined);
  return {
    then: promise.then.bind(promise),
    catch: promise.catch.bind(promise),
    finally: promise.finally.bind(promise),
  };
}

/** The data helpers of the running handler (a write hook's transaction), else the app's. */
export function currentData(host: JsvmHost): HookData {
  const data = current.getStore()?.data ?? host.data;
  if (!data) {
    throw new Error(
      '$app is usable once the app is bootstrapped (in hooks, routes and crons, or after e.next() in onBootstrap)',
    );
  }
  return data;
}

export function services(host: JsvmHost): HookServices {
  if (!host.services) {
    throw new Error('the app is not bootstrapped yet');
  }
  return host.services;
}
