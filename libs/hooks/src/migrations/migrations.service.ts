import * as fs from 'node:fs';
import * as path from 'node:path';
import { Inject, Injectable } from '@nestjs/common';
import { AppConfig } from '@lib/core';
import type { UnitOfWork } from '@lib/records';
import { typescript, type Typescript } from '../loader/module-runner';
import { MigrationApp } from './migration-app';
import { MigrationDeps } from './migration-deps';
import { loadMigration, MigrationError, runMigration } from './migration-file';
import { MigrationHistory } from './migration-history';
import { migrationFiles, writeMigrationFile } from './migration-names';
import { snapshotMigration } from './migration-templates';

type Direction = 'up' | 'down';

/**
 * The `pb_migrations` directory and PocketBase's `_migrations` history: applies pending files (at start and
 * `migrate up`), reverts the latest (`migrate down`), forgets deleted files (`history-sync`), writes new files
 * (snapshots, automigrate). Each file runs in its own transaction, its history row included: one that fails
 * leaves nothing behind, and processes starting together apply each file once.
 */
@Injectable()
export class MigrationsService {
  private writing: Promise<unknown> = Promise.resolve();

  constructor(
    @Inject(AppConfig) private readonly config: AppConfig,
    private readonly deps: MigrationDeps,
  ) {}

  get dir(): string {
    return this.config.migrations.dir;
  }

  /** Applies the files not applied yet, in name order; `applied` hears of each. Returns their names. */
  async up(applied: (file: string) => void = () => undefined): Promise<string[]> {
    const done = await MigrationHistory.files(this.deps.database);
    const pending = migrationFiles(this.dir).filter((file) => !done.has(file));
    const ts = this.typescriptFor(pending);
    const out: string[] = [];
    for (const file of pending) {
      if (await this.run(file, 'up', ts)) {
        out.push(file);
        applied(file);
      }
    }
    return out;
  }

  /** Reverts the last `count` applied migrations, the latest first. Returns their names. */
  async down(count: number, reverted: (file: string) => void = () => undefined): Promise<string[]> {
    const latest = await MigrationHistory.latest(this.deps.database, count);
    const missing = latest.find((file) => !fs.existsSync(path.join(this.dir, file)));
    if (missing) {
      throw new MigrationError(
        `${path.join(this.dir, missing)}: the file of an applied migration is missing (restore it, or forget it with "nestbase migrate history-sync")`,
      );
    }
    const ts = this.typescriptFor(latest);
    const out: string[] = [];
    for (const file of latest) {
      if (await this.run(file, 'down', ts)) {
        out.push(file);
        reverted(file);
      }
    }
    return out;
  }

  /** Forgets the applied migrations whose files are gone. Returns their names. */
  async historySync(): Promise<string[]> {
    const present = new Set(migrationFiles(this.dir));
    return this.deps.database.transaction(async (tx) => {
      const gone = [...(await MigrationHistory.files(tx))].filter((file) => !present.has(file)).sort();
      for (const file of gone) {
        await MigrationHistory.remove(tx, file);
      }
      return gone;
    });
  }

  /** `migrate collections`: a file that makes the collections (system ones aside) what they are now. */
  async snapshot(): Promise<string> {
    await this.deps.collections.reload();
    const collections = this.deps.collections.all().filter((c) => !c.system);
    return this.write('collections_snapshot', snapshotMigration(collections), true);
  }

  /**
   * Writes a new file `<unix seconds>_<suffix>.js` (after every existing one) and returns its path; `applied`
   * records it as applied (it describes what the database already is).
   */
  write(suffix: string, code: string, applied: boolean): Promise<string> {
    const next = this.writing.then(async () => {
      const name = writeMigrationFile(this.dir, suffix, code);
      if (applied) {
        await this.deps.database.transaction((tx) => MigrationHistory.add(tx, name));
      }
      return path.join(this.dir, name);
    });
    this.writing = next.catch(() => undefined);
    return next;
  }

  private typescriptFor(files: string[]): Typescript | null {
    return files.some((file) => file.endsWith('.ts')) ? typescript() : null;
  }

  /** One direction of one file in its own transaction; false when another process got there first. */
  private async run(file: string, direction: Direction, ts: Typescript | null): Promise<boolean> {
    const full = path.join(this.dir, file);
    const migration = loadMigration(full, ts);
    const fn = direction === 'up' ? migration.up : migration.down;
    const { database, collections, settings, data, bus } = this.deps;
    const work: Omit<UnitOfWork, 'tx'> = { events: [], afterCommit: [], onRollback: [] };
    const changed = { collections: false, settings: false };
    try {
      const done = await database.schemaTransaction(async (tx) => {
        if ((await MigrationHistory.has(tx, file)) !== (direction === 'down')) {
          return false;
        }
        // As this transaction sees them: another process may have changed them since this one read them.
        await collections.reload();
        settings.invalidate();
        await settings.get();
        if (fn) {
          const context = { tx, data: data.api({ tx, ...work }), collections, settings, changed };
          await runMigration(full, fn, new MigrationApp({ ...context, collection: (c) => data.collection(c) }));
        }
        await (direction === 'up' ? MigrationHistory.add(tx, file) : MigrationHistory.remove(tx, file));
        return true;
      });
      work.events.forEach((e) => bus.publish(e.name, e.payload));
      await Promise.allSettled(work.afterCommit.map((task) => task()));
      if (changed.collections) {
        await collections.published();
      }
      return done;
    } catch (error) {
      // Rolled back: the caches drop what the migration had made.
      await Promise.allSettled(work.onRollback.map((undo) => undo()));
      await collections.reload();
      settings.invalidate();
      throw error;
    }
  }
}
