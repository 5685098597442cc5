import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
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
import { BACKUP_HELP, backup } from './cli-backup';
import { DB_HELP, db } from './cli-db';
import { IMPORT_POCKETBASE_HELP, importPocketBase } from './cli-import-pocketbase';
import { MIGRATE_HELP, migrate } from './cli-migrate';
import { TYPEGEN_HELP, typegen } from './cli-typegen';
import { NestBase } from './nestbase';
import { CliModule } from './standalone.module';

const HELP: Record<string, string> = {
  main: `nestbase: a PocketBase-compatible backend

Usage: nestbase <command> [flags]

Commands:
  serve                          start the server (API, dashboard, public files)
  superuser upsert EMAIL PASS    create or update a superuser
  superuser delete EMAIL         delete a superuser
  backup create|list|restore     back up or restore the data (SQLite or PostgreSQL)
  db copy --from SRC --to DST [--replace]
                                 copy the database between SQLite (a data dir) and PostgreSQL (a URL)
  migrate up|down|create|collections|history-sync
                                 apply, revert or write pb_migrations files
  typegen [--out FILE]           write TypeScript types of the collections for the JS SDK
  import-pocketbase SRC [--dir DIR] [--replace]
                                 import a PocketBase (v0.23+) pb_data: collections, records, users, files
  gateway|auth|records|files|realtime [--http ADDR] [--dir DIR]
                                 run one service of the distributed set (see README "Deploy")
  help [COMMAND]                 this text, or a command's (as COMMAND --help)
  --version                      the version

Run "nestbase <command> --help" for the flags of a command.
`,
  serve: `Usage: nestbase serve [flags]

Flags:
  --http ADDR        host:port to listen on (default 127.0.0.1:8090, env NB_HTTP)
  --dir DIR          data directory (default ./pb_data, env NB_DIR)
  --publicDir DIR    static files served at / (default ./pb_public, env NB_PUBLIC_DIR)
  --hooksDir DIR     server-side hooks: *.pb.js / *.pb.ts files (default ./pb_hooks, env NB_HOOKS_DIR)
  --dev              reload the hooks when their files change
  --migrationsDir DIR  migrations applied at start (default <dir>/../pb_migrations, env NB_MIGRATIONS_DIR)
  --automigrate      write a migration file for each collection change made through the API or the
                     dashboard (env NB_AUTOMIGRATE; off by default)
  --db URL           postgres://user:password@host:port/db selects PostgreSQL (env DATABASE_URL; default:
                     SQLite <dir>/data.db)
  --queryTimeout S   seconds one read statement may run (env NB_QUERY_TIMEOUT_MS in ms; default 5)
  -h, --help         show this help

Environment PB_ADMIN_EMAIL + PB_ADMIN_PASSWORD upsert a superuser at start.
`,
  backup: BACKUP_HELP,
  db: DB_HELP,
  migrate: MIGRATE_HELP,
  typegen: TYPEGEN_HELP,
  'import-pocketbase': IMPORT_POCKETBASE_HELP,
  superuser: `Usage:
  nestbase superuser upsert EMAIL PASSWORD [--dir DIR]   create or update a superuser
  nestbase superuser delete EMAIL [--dir DIR]            delete a superuser
`,
};

const FLAGS = {
  http: { type: 'string' },
  dir: { type: 'string' },
  publicDir: { type: 'string' },
  hooksDir: { type: 'string' },
  dev: { type: 'boolean' },
  migrationsDir: { type: 'string' },
  automigrate: { type: 'boolean' },
  db: { type: 'string' },
  queryTimeout: { type: 'string' },
  out: { type: 'string' },
  replace: { type: 'boolean' },
  from: { type: 'string' },
  to: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** The environment of the commands other than serve: they don't upsert PB_ADMIN_*. */
const noAdmin = () => ({ ...process.env, PB_ADMIN_EMAIL: '', PB_ADMIN_PASSWORD: '' });

/** A usage error: one line on stderr, exit code 2. */
class UsageError extends Error {}

async function superuser(args: string[], overrides: ConfigOverrides): Promise<void> {
  const [action, email, password] = args;
  if (!(
    (action === 'upsert' && email && password && args.length === 3) ||
    (action === 'delete' && email && args.length === 2)
  )) {
    throw new UsageError('usage: nestbase superuser upsert EMAIL PASSWORD | superuser delete EMAIL');
  }
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

export async function main(argv: string[]): Promise<void> {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options: FLAGS, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError((error as Error).message.split('\n')[0]);
  }
  const [command, ...rest] = parsed.positionals;
  const { help, out, replace, from, to, ...overrides } = parsed.values;
  if (!command || (help && !HELP[command])) {
    process.stdout.write(HELP.main);
    if (!command && !help) {
      process.exitCode = 2;
    }
    return;
  }
  if (help) {
    process.stdout.write(HELP[command]);
    return;
  }
  if (replace !== undefined && command !== 'import-pocketbase' && command !== 'db') {
    throw new UsageError(`--replace is a flag of import-pocketbase and db copy, not of ${command}`);
  }
  if ((from !== undefined || to !== undefined) && command !== 'db') {
    throw new UsageError(`--from and --to are flags of db copy, not of ${command}`);
  }
  if (out !== undefined && command !== 'typegen') {
    throw new UsageError(`--out is a flag of typegen, not of ${command}`);
  }
  if (command === 'serve') {
    if (rest.length > 0) {
      throw new UsageError(`unexpected argument "${rest[0]}" for serve`);
    }
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

/** Runs the CLI; expected failures print one line and exit 2, never a stack trace. */
export function run(argv: string[]): void {
  main(argv).catch((error: unknown) => {
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
    if (
      (error as NodeJS.ErrnoException)?.code === 'EADDRINUSE' ||
      (error as NodeJS.ErrnoException)?.code === 'EACCES'
    ) {
      process.stderr.write(`Error: cannot listen: ${(error as Error).message}\n`);
      process.exit(2);
    }
    process.stderr.write(`Error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  });
}
