import { callSite } from './migration-queue';
import { Collection, Field, FIELD_CLASSES, unmarshal } from './migration-models';
import { MigrationRecord } from './migration-record';
import { describeError, locate, runModule, type Typescript } from '../loader/module-runner';
import type { MigrationApp } from './migration-app';

/** A migration that failed (or a file that can't be loaded): the message starts with `file:line`. */
export class MigrationError extends Error {}

export type MigrationFn = (app: MigrationApp) => unknown;

/** One file's `migrate(up, down)`. */
export interface Migration {
  up: MigrationFn;
  down: MigrationFn | null;
}

/**
 * Compiles and runs a migration file (`.ts` transpiled) with PocketBase's globals in scope: `migrate`,
 * `Collection`, `Record`, `Field` and the typed fields (`TextField` …), `unmarshal`. It must call `migrate` once.
 */
export function loadMigration(file: string, ts: Typescript | null): Migration {
  if (file.endsWith('.ts') && !ts) {
    throw new MigrationError(`${file}:1: .ts migrations need the "typescript" package (npm install typescript)`);
  }
  let found: Migration | null = null;
  const migrate = (up: unknown, down?: unknown) => {
    if (found) {
      throw new Error('migrate() is called once per file');
    }
    if (typeof up !== 'function' || (down !== undefined && down !== null && typeof down !== 'function')) {
      throw new TypeError('migrate(up, down) takes the up function and an optional down function');
    }
    found = { up: up as MigrationFn, down: (down as MigrationFn | undefined) ?? null };
  };
  const scope = { migrate, Collection, Record: MigrationRecord, Field, ...FIELD_CLASSES, unmarshal };
  try {
    runModule(file, scope, ts, (message) => new MigrationError(message));
  } catch (error) {
    throw error instanceof MigrationError ? error : failure(file, error);
  }
  if (!found) {
    throw new MigrationError(`${file}:1: must call migrate((app) => {…}, (app) => {…})`);
  }
  return found;
}

/** The MigrationError for what `file`'s migration threw: `file:line: Name: message {field errors}`. */
export function failure(file: string, error: unknown): MigrationError {
  let where = locate(file, error);
  const site = callSite(error);
  if (site && where === file) {
    where = locate(file, site);
  }
  const data = (error as { data?: unknown } | null)?.data;
  const details = data && typeof data === 'object' && Object.keys(data).length > 0 ? ` ${JSON.stringify(data)}` : '';
  return new MigrationError(`${where}: ${describeError(error, true)}${details.slice(0, 2000)}`);
}

/** Runs one direction of a migration with `app`: its own throw, or the first failed call nobody awaited. */
export async function runMigration(file: string, fn: MigrationFn, app: MigrationApp): Promise<void> {
  let thrown: { error: unknown } | null = null;
  try {
    await fn(app);
  } catch (error) {
    thrown = { error };
    app.queue.stop();
  }
  let failed: { error: unknown } | null = null;
  try {
    await app.queue.drain();
  } catch (error) {
    failed = { error };
  }
  const first = failed ?? thrown;
  if (first) {
    throw failure(file, first.error);
  }
}
