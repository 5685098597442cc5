// The CLI's commands, with the app they load (NestJS, TypeORM, the libs): cli.ts loads this module only once the
// arguments name a command to run. The side-effect imports come first, before anything loads Nest or TypeORM.
import './lazy-date-format';
import './typeorm-drivers';
import 'reflect-metadata';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { NestFactory } from '@nestjs/core';
import {
  ApiError,
  ConfigError,
  DependencyError,
  ensureDataDir,
  loadConfig,
  UnusableDirError,
  type ConfigOverrides,
} from '@lib/core';
import { SuperusersService } from '@lib/auth';
import { JobQueue } from '@lib/jobs';
import { PocketBaseSchemaError, PocketBaseSourceError } from '@lib/ops';
import { HooksLoadError, MigrationError } from '@lib/hooks';
import { backup } from './cli-backup';
import { db } from './cli-db';
import { importPocketBase } from './cli-import-pocketbase';
import { migrate } from './cli-migrate';
import { typegen } from './cli-typegen';
import { NestBase } from './nestbase';
import { CliModule } from './standalone.module';
import { UsageError } from './cli-usage';

/** The environment of the commands other than serve: they don't upsert PB_ADMIN_*. */
const noAdmin = () => ({ ...process.env, PB_ADMIN_EMAIL: '', PB_ADMIN_PASSWORD: '' });

/** `superuser upsert EMAIL PASSWORD | delete EMAIL` (the arguments checked by cli.ts). */
async function superuser(args: string[], overrides: ConfigOverrides): Promise<void> {
  const [action, email, password] = args;
  const config = loadConfig(noAdmin(), overrides);
  if (action === 'delete' && !existsSync(join(config.dataDir, 'data.db'))) {
    // A typo in --dir must not create an empty database there and report success.
    throw new UsageError(`no database at ${join(config.dataDir, 'data.db')}: nothing to delete (check --dir)`);
  }
  ensureDataDir(config.dataDir);
  const app = await NestFactory.createApplicationContext(CliModule.forRoot(config), { logger: ['error'] });
  try {
    const service = app.get(SuperusersService);
    if (action === 'upsert') {
      process.stdout.write(`Successfully ${await service.upsert(email, password)} superuser "${email}".\n`);
    } else {
      await service.delete(email);
      process.stdout.write(`Successfully deleted superuser "${email}".\n`);
    }
    // Queued work of the change (removing a deleted record's files) finishes before the process exits.
    await app.get(JobQueue).idle();
  } finally {
    await app.close();
  }
}

/** The flags `main` in cli.ts parsed and checked (`--help` answered there). */
export interface CommandFlags extends ConfigOverrides {
  dev?: boolean;
  out?: string;
  replace?: boolean;
  from?: string;
  to?: string;
}

/** Runs a command cli.ts has checked the flags of; loaded only then (the help and usage errors need no app). */
export async function runCommand(command: string, rest: string[], flags: CommandFlags): Promise<void> {
  const { out, replace, from, to, ...overrides } = flags;
  if (command === 'serve') {
    const { dev, ...paths } = overrides;
    const config = loadConfig(process.env, paths);
    await new NestBase({ config, dev }).start();
    return;
  }
  if (command === 'superuser') {
    await superuser(rest, overrides);
    return;
  }
  if (command === 'migrate') {
    await migrate(
      rest,
      () => loadConfig(noAdmin(), overrides),
      (message) => new UsageError(message),
    );
    return;
  }
  if (command === 'typegen') {
    await typegen(
      rest,
      out,
      () => loadConfig(noAdmin(), overrides),
      (message) => new UsageError(message),
    );
    return;
  }
  if (command === 'db') {
    await db(rest, { from, to, replace }, (message) => new UsageError(message));
    return;
  }
  if (command === 'backup') {
    const config = () => loadConfig(noAdmin(), overrides);
    await backup(rest, config, (message) => new UsageError(message));
    return;
  }
  if (command === 'import-pocketbase') {
    // the import is built in a SQLite staging dir, then (with DATABASE_URL/--db) copied into PostgreSQL
    const config = (dir?: string) =>
      dir
        ? loadConfig({ ...noAdmin(), DATABASE_URL: '' }, { ...overrides, dir, db: '' })
        : loadConfig(noAdmin(), overrides);
    await importPocketBase(rest, replace === true, config, (message) => new UsageError(message));
    return;
  }
  throw new UsageError(`unknown command "${command}" (see nestbase --help)`);
}

/** How a failed command leaves: expected failures print one line and exit 2 or 1, never a stack trace. */
export function exitOnFailure(error: unknown): never {
  if (
    error instanceof UsageError ||
    error instanceof ConfigError ||
    error instanceof UnusableDirError ||
    error instanceof HooksLoadError ||
    error instanceof PocketBaseSourceError
  ) {
    process.stderr.write(`Error: ${error.message}\n`);
    process.exit(2);
  }
  if (error instanceof ApiError) {
    const details = Object.keys(error.data).length ? ` ${JSON.stringify(error.data)}` : '';
    process.stderr.write(`Error: ${error.message}${details}\n`);
    process.exit(2);
  }
  if (error instanceof DependencyError || error instanceof MigrationError || error instanceof PocketBaseSchemaError) {
    process.stderr.write(`Error: ${error.message}\n`);
    process.exit(1);
  }
  if ((error as NodeJS.ErrnoException)?.code === 'EADDRINUSE' || (error as NodeJS.ErrnoException)?.code === 'EACCES') {
    process.stderr.write(`Error: cannot listen: ${(error as Error).message}\n`);
    process.exit(2);
  }
  process.stderr.write(`Error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
}
