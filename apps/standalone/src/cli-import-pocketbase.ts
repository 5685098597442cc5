import { existsSync, readdirSync, rmSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import * as path from 'node:path';
import { NestFactory } from '@nestjs/core';
import { OAuth2ProvidersService } from '@lib/auth';
import { ensureDataDir, type AppConfig } from '@lib/core';
import type { CollectionModel } from '@lib/schema';
import {
  checkTarget,
  copyDatabase,
  copyMetadata,
  DbCopyError,
  copyRecords,
  copyStorage,
  makeStaging,
  placeStaging,
  PocketBaseImportModule,
  PocketBaseSchemaImport,
  PocketBaseSource,
  type CopiedCollection,
  type CopiedFiles,
} from '@lib/ops';
import { progressReporter } from './cli-progress';
import { CliModule } from './standalone.module';

/** Entries of a PocketBase data dir besides data.db and storage/, and why they stay behind. */
function leftBehind(src: string): string[] {
  const known = new Set(['data.db', 'data.db-wal', 'data.db-shm', 'storage', 'auxiliary.db-wal', 'auxiliary.db-shm']);
  return readdirSync(src)
    .filter((name) => !known.has(name))
    .map((name) => {
      if (name === 'auxiliary.db') {
        return 'auxiliary.db: PocketBase request and app logs, not imported';
      }
      if (name === 'backups') {
        return 'backups/: PocketBase backup archives are not nestbase backups, not imported';
      }
      return `${name}: not part of PocketBase's data, not imported`;
    });
}

/** OAuth2 providers kept in the auth options that nestbase can't sign in with (no preset, or incomplete). */
function unusableProviders(oauth2: OAuth2ProvidersService, collections: readonly CollectionModel[]): string[] {
  return collections
    .filter((c) => c.type === 'auth')
    .flatMap((c) =>
      oauth2
        .options(c)
        .providers.map((p) => String((p as { name?: unknown }).name))
        .filter((name) => !oauth2.resolve(c, name))
        .map(
          (name) => `${c.name}: OAuth2 provider "${name}" kept in the options, but nestbase can't sign in with it yet`,
        ),
    );
}

function parseSettings(raw: unknown): unknown {
  try {
    return typeof raw === 'string' ? JSON.parse(raw) : null;
  } catch {
    return null;
  }
}

/** Where the files are when PocketBase kept them in S3: nothing to copy, the keys are the same. */
function s3Note(settings: unknown): string[] {
  const s3 = (settings as { s3?: { enabled?: unknown; bucket?: unknown } } | null)?.s3;
  return s3?.enabled === true
    ? [`storage: files are in the S3 bucket "${String(s3.bucket)}" (settings.s3), left there under the same keys`]
    : [];
}

interface Outcome {
  collections: CopiedCollection[];
  files: CopiedFiles;
  skipped: string[];
}

/** Builds the imported data dir in `staging`. */
async function build(src: string, staging: string, config: (dir: string) => AppConfig): Promise<Outcome> {
  const progress = progressReporter();
  const snapshot = path.join(staging, '.pocketbase-snapshot.db');
  const source = await PocketBaseSource.open(src, snapshot);
  try {
    const collections = source.collections();
    const modules = {
      module: class CliImportModule {},
      imports: [CliModule.forRoot(config(staging)), PocketBaseImportModule],
    };
    const app = await NestFactory.createApplicationContext(modules, { logger: ['error'] });
    const skipped: string[] = [];
    let saved;
    try {
      const importer = app.get(PocketBaseSchemaImport);
      skipped.push(...(await importer.importCollections(collections)));
      skipped.push(...(await importer.importSettings(source.settingsValue())));
      skipped.push(...s3Note(parseSettings(source.settingsValue())));
      saved = [...importer.saved()];
      skipped.push(...unusableProviders(new OAuth2ProvidersService(), saved));
    } finally {
      await app.close();
    }
    const records = copyRecords(source, path.join(staging, 'data.db'), saved, progress.report);
    skipped.push(...records.skipped);
    copyMetadata(path.join(staging, 'data.db'), collections, source.appMigrations());
    const files = await copyStorage(path.join(src, 'storage'), path.join(staging, 'storage'), progress.report);
    progress.done();
    if (files.attrs > 0) {
      skipped.push(`storage: ${files.attrs} .attrs metadata file(s) (PocketBase's blob sidecars), not needed`);
    }
    skipped.push(...leftBehind(src));
    return { collections: records.copied, files, skipped };
  } finally {
    source.close();
    await rm(snapshot, { force: true });
  }
}

function printReport(outcome: Outcome, target: string, ms: number): void {
  const out: string[] = [`Imported into ${target} in ${(ms / 1000).toFixed(1)} s:`];
  for (const c of outcome.collections) {
    out.push(`  ${c.name.padEnd(28)} ${c.type.padEnd(5)} ${c.records} record(s)${c.type === 'view' ? ' (view)' : ''}`);
  }
  out.push(`  files: ${outcome.files.files} (${(outcome.files.bytes / 1024 / 1024).toFixed(1)} MB)`);
  if (outcome.skipped.length > 0) {
    out.push('Skipped:');
    out.push(...outcome.skipped.map((line) => `  - ${line}`));
  }
  process.stdout.write(`${out.join('\n')}\n`);
}

/** On PostgreSQL: the staged data.db goes into the database (one verified transaction); the files stay staged. */
async function intoPostgres(staging: string, url: string, replace: boolean, usage: (m: string) => Error) {
  const progress = progressReporter();
  try {
    await copyDatabase(path.join(staging, 'data.db'), url, { replace, progress: progress.report });
  } catch (error) {
    throw error instanceof DbCopyError ? usage(error.message) : error;
  } finally {
    progress.done();
  }
  for (const name of ['data.db', 'data.db-wal', 'data.db-shm']) {
    await rm(path.join(staging, name), { force: true });
  }
}

/**
 * `nestbase import-pocketbase SRC [--dir DIR] [--replace]`. `config(dir)` is the staging dir's (always SQLite);
 * `config()` the target's.
 */
export async function importPocketBase(
  args: string[],
  replace: boolean,
  config: (dir?: string) => AppConfig,
  usage: (m: string) => Error,
): Promise<void> {
  if (args.length !== 1) {
    throw usage('usage: nestbase import-pocketbase SRC [--dir DIR] [--replace]');
  }
  const src = path.resolve(args[0]);
  const target = path.resolve(config().dataDir);
  if (!existsSync(src)) {
    throw usage(`${src} doesn't exist`);
  }
  if (src === target) {
    throw usage('SRC and --dir are the same directory');
  }
  try {
    checkTarget(target, replace);
  } catch (error) {
    throw usage((error as Error).message);
  }
  const started = Date.now();
  const staging = await makeStaging(target);
  // Ctrl-C before the final move: the half-built staging dir goes, the target was never touched.
  const interrupted = () => {
    rmSync(staging, { recursive: true, force: true });
    process.stderr.write('\nInterrupted: nothing imported.\n');
    process.exit(130);
  };
  process.once('SIGINT', interrupted).once('SIGTERM', interrupted);
  let outcome: Outcome;
  try {
    outcome = await build(src, staging, (dir) => {
      ensureDataDir(dir);
      return config(dir);
    });
    process.off('SIGINT', interrupted).off('SIGTERM', interrupted);
    const url = config().db.url;
    if (url) {
      await intoPostgres(staging, url, replace, usage);
    }
    await placeStaging(target, staging);
  } catch (error) {
    process.off('SIGINT', interrupted).off('SIGTERM', interrupted);
    await rm(staging, { recursive: true, force: true });
    throw error;
  }
  const where = config().db.url ? `PostgreSQL (files in ${target})` : target;
  printReport(outcome, where, Date.now() - started);
}
